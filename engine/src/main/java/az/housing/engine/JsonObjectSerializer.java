package az.housing.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.operaton.bpm.engine.impl.variable.serializer.AbstractObjectValueSerializer;

/**
 * Object variables in JSON ({@code serializationDataFormat: application/json}): the app sends maps
 * and lists as {@code {type:"Object", value:"<json>", valueInfo:{objectTypeName:
 * "java.util.LinkedHashMap" | "java.util.ArrayList", serializationDataFormat:"application/json"}}}
 * and expressions read them as maps/lists (JUEL {@code ${decision.outcome == 'grant'}}).
 *
 * <p>Why not Spin: Operaton's Spin JSON data format (operaton-spin-dataformat-json-jackson) is not
 * on Maven Central for 1.0.3. This serializer stores the same bytes (UTF-8 JSON) under the same
 * serializer name Spin uses ({@code spin://application/json}), so Spin can take over the stored
 * variables once it is available.
 *
 * <p>Only maps and lists are accepted: the type name comes from REST callers, and deserializing
 * into arbitrary classes named by a caller is a known attack path.
 */
class JsonObjectSerializer extends AbstractObjectValueSerializer {

  static final String FORMAT = "application/json";
  static final String NAME = "spin://" + FORMAT;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  JsonObjectSerializer() {
    super(FORMAT);
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  protected boolean canSerializeValue(Object value) {
    return value instanceof Map || value instanceof List;
  }

  @Override
  protected String getTypeNameForDeserialized(Object value) {
    return value instanceof List ? ArrayList.class.getName() : LinkedHashMap.class.getName();
  }

  @Override
  protected byte[] serializeToByteArray(Object value) throws Exception {
    return MAPPER.writeValueAsBytes(value);
  }

  @Override
  protected Object deserializeFromByteArray(byte[] bytes, String objectTypeName) throws Exception {
    return MAPPER.readValue(bytes, targetClass(objectTypeName));
  }

  /** Accepts the JDK map/list names (also with Jackson's generic suffix, as Spin writes them). */
  static Class<?> targetClass(String objectTypeName) {
    String raw = objectTypeName == null ? "" : objectTypeName.replaceFirst("<.*$", "").trim();
    switch (raw) {
      case "java.util.LinkedHashMap":
      case "java.util.HashMap":
      case "java.util.Map":
        return LinkedHashMap.class;
      case "java.util.ArrayList":
      case "java.util.LinkedList":
      case "java.util.List":
        return ArrayList.class;
      default:
        throw new IllegalArgumentException(
            "JSON object variables must be java.util.LinkedHashMap or java.util.ArrayList, not '"
                + objectTypeName
                + "'");
    }
  }

  @Override
  protected boolean isSerializationTextBased() {
    return true;
  }
}
