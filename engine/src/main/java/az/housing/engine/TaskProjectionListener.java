package az.housing.engine;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.operaton.bpm.engine.task.IdentityLink;
import org.operaton.bpm.engine.task.IdentityLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one user task's state into the projection table with the engine's own JDBC connection, so
 * the row commits or rolls back with the engine's transaction: the app's task list never shows a
 * task the engine does not have, nor misses one it has. A failing write fails the engine command
 * (loud, consistent) rather than letting the two drift apart.
 */
class TaskProjectionListener implements TaskListener {

  private static final Logger LOG = LoggerFactory.getLogger(TaskProjectionListener.class);

  private final String upsertSql;
  private final String completeSql;
  private final String deleteSql;

  TaskProjectionListener(String table) {
    // `table` is validated in Settings (plain [schema.]identifier)
    this.upsertSql =
        "INSERT INTO " + table + " (task_id, process_instance_id, process_definition_key,"
            + " element_id, business_key, case_type, case_id, candidate_groups, assignee, due_at,"
            + " follow_up_at, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (task_id) DO UPDATE SET candidate_groups = EXCLUDED.candidate_groups,"
            + " assignee = EXCLUDED.assignee, due_at = EXCLUDED.due_at,"
            + " follow_up_at = EXCLUDED.follow_up_at";
    this.completeSql = "UPDATE " + table + " SET completed_at = now() WHERE task_id = ?";
    this.deleteSql =
        "UPDATE " + table + " SET completed_at = now(), cancelled = true"
            + " WHERE task_id = ? AND completed_at IS NULL";
  }

  @Override
  public void notify(DelegateTask task) {
    String event = task.getEventName();
    try {
      Connection c = connection();
      switch (event) {
        case EVENTNAME_COMPLETE -> update(c, completeSql, task.getId());
        case EVENTNAME_DELETE -> update(c, deleteSql, task.getId());
        default -> upsert(c, task);
      }
    } catch (SQLException e) {
      throw new ProcessEngineException(
          "task projection: cannot write task " + task.getId() + " (" + event + "): "
              + e.getMessage(),
          e);
    }
  }

  /** The connection of the current engine command (its transaction). */
  private static Connection connection() {
    return Context.getCommandContext().getDbSqlSession().getSqlSession().getConnection();
  }

  private static void update(Connection c, String sql, String taskId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, taskId);
      ps.executeUpdate();
    }
  }

  private void upsert(Connection c, DelegateTask task) throws SQLException {
    Object caseType = task.getVariable("caseType");
    Object caseId = task.getVariable("caseId");
    UUID caseUuid = caseId instanceof String s ? parseUuid(s) : null;
    ExecutionEntity execution = (ExecutionEntity) task.getExecution();
    String definitionKey =
        execution != null ? execution.getProcessDefinition().getKey() : null;
    if (!(caseType instanceof String) || caseUuid == null || execution == null) {
      // no values in the log: case variables may be personal data
      LOG.warn(
          "task projection: user task {} ({} in {}) has no caseType/caseId string variables"
              + " (caseId must be a UUID); not projected",
          task.getId(),
          task.getTaskDefinitionKey(),
          definitionKey);
      return;
    }
    String[] groups =
        task.getCandidates().stream()
            .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
            .map(IdentityLink::getGroupId)
            .distinct()
            .sorted()
            .toArray(String[]::new);
    try (PreparedStatement ps = c.prepareStatement(upsertSql)) {
      Array groupArray = c.createArrayOf("text", groups);
      ps.setString(1, task.getId());
      ps.setString(2, task.getProcessInstanceId());
      ps.setString(3, definitionKey);
      ps.setString(4, task.getTaskDefinitionKey());
      ps.setString(5, execution.getProcessBusinessKey());
      ps.setString(6, (String) caseType);
      ps.setObject(7, caseUuid);
      ps.setArray(8, groupArray);
      ps.setString(9, task.getAssignee());
      ps.setObject(10, utc(task.getDueDate()));
      ps.setObject(11, utc(task.getFollowUpDate()));
      OffsetDateTime created = utc(task.getCreateTime());
      ps.setObject(12, created != null ? created : OffsetDateTime.now(ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  private static UUID parseUuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** timestamptz parameters as OffsetDateTime: no dependence on the session's time zone. */
  private static OffsetDateTime utc(Date d) {
    return d == null ? null : OffsetDateTime.ofInstant(d.toInstant(), ZoneOffset.UTC);
  }
}
