package az.housing.engine;

import java.util.ArrayList;
import java.util.List;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.variable.serializer.TypedValueSerializer;

/**
 * Registers {@link JsonObjectSerializer} and makes application/json the default object format.
 * Remove this plugin when Operaton's Spin JSON data format is added (both register the serializer
 * name {@code spin://application/json}; the stored variables stay readable).
 */
class JsonVariablesPlugin extends AbstractProcessEnginePlugin {

  @Override
  @SuppressWarnings("rawtypes")
  public void preInit(ProcessEngineConfigurationImpl conf) {
    List<TypedValueSerializer> pre = new ArrayList<>();
    if (conf.getCustomPreVariableSerializers() != null) {
      pre.addAll(conf.getCustomPreVariableSerializers());
    }
    pre.add(new JsonObjectSerializer());
    conf.setCustomPreVariableSerializers(pre);
    conf.setDefaultSerializationFormat(JsonObjectSerializer.FORMAT);
  }
}
