package az.housing.engine;

import java.util.ArrayList;
import java.util.List;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.pvm.process.ActivityImpl;
import org.operaton.bpm.engine.impl.pvm.process.ScopeImpl;
import org.operaton.bpm.engine.impl.task.TaskDefinition;
import org.operaton.bpm.engine.impl.util.xml.Element;

/**
 * Projects every user task into the app's table (ENGINE_TASK_PROJECTION_TABLE): a parse listener
 * adds {@link TaskProjectionListener} to each user task of each deployed model, for the events
 * create, assignment, update, complete and delete. Added as a built-in listener so it also runs when
 * a caller skips custom listeners (e.g. cancelling an instance with skipCustomListeners=true).
 */
class TaskProjectionPlugin extends AbstractProcessEnginePlugin {

  static final String[] EVENTS = {
    TaskListener.EVENTNAME_CREATE,
    TaskListener.EVENTNAME_ASSIGNMENT,
    TaskListener.EVENTNAME_UPDATE,
    TaskListener.EVENTNAME_COMPLETE,
    TaskListener.EVENTNAME_DELETE,
  };

  private final TaskProjectionListener listener;

  TaskProjectionPlugin(String table) {
    this.listener = new TaskProjectionListener(table);
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl conf) {
    List<BpmnParseListener> post = new ArrayList<>();
    if (conf.getCustomPostBPMNParseListeners() != null) {
      post.addAll(conf.getCustomPostBPMNParseListeners());
    }
    post.add(
        new BpmnParseListener() {
          @Override
          public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
            if (!(activity.getActivityBehavior() instanceof UserTaskActivityBehavior behavior)) {
              return;
            }
            TaskDefinition definition = behavior.getTaskDefinition();
            for (String event : EVENTS) definition.addBuiltInTaskListener(event, listener);
          }
        });
    conf.setCustomPostBPMNParseListeners(post);
  }
}
