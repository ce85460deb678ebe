package az.housing.engine;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The engine's settings, all from environment variables set by src/engine/runtime.ts:
 *
 * <ul>
 *   <li>ENGINE_JDBC_URL (required), ENGINE_JDBC_USER, ENGINE_JDBC_PASSWORD — the app's database;
 *       the engine's tables go into its schema {@code operaton}
 *   <li>ENGINE_PORT (default 8080; 0 = a free port), ENGINE_BIND (default 127.0.0.1)
 *   <li>ENGINE_USER (default {@code engine}), ENGINE_PASSWORD (required, at least 16 characters)
 *   <li>ENGINE_PORT_FILE — where the listening port is written
 *   <li>ENGINE_TASK_PROJECTION_TABLE (default {@code public.review_task})
 * </ul>
 */
record Settings(
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    int port,
    String bind,
    String user,
    String password,
    String portFile,
    String taskProjectionTable) {

  static final int MIN_PASSWORD_LENGTH = 16;
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  static Settings fromEnvironment(Map<String, String> env) {
    String jdbcUrl = blankToNull(env.get("ENGINE_JDBC_URL"));
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("ENGINE_JDBC_URL must be a jdbc:postgresql: URL");
    }
    String password = env.get("ENGINE_PASSWORD");
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "ENGINE_PASSWORD must be set and at least " + MIN_PASSWORD_LENGTH + " characters long");
    }
    String user = orDefault(env.get("ENGINE_USER"), "engine");
    if (!USER_ID.matcher(user).matches()) {
      throw new IllegalArgumentException("ENGINE_USER must be 1-64 letters or digits (the engine's resource id rule)");
    }
    int port;
    try {
      port = Integer.parseInt(orDefault(env.get("ENGINE_PORT"), "8080"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ENGINE_PORT must be a number");
    }
    if (port < 0 || port > 65535) throw new IllegalArgumentException("ENGINE_PORT out of range");
    String table = orDefault(env.get("ENGINE_TASK_PROJECTION_TABLE"), "public.review_task");
    // the name goes into SQL text: only plain identifiers, and qualified, because the engine's
    // connections have search_path = operaton
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "ENGINE_TASK_PROJECTION_TABLE must be a lower-case [schema.]table name");
    }
    if (!table.contains(".")) table = "public." + table;
    return new Settings(
        jdbcUrl,
        blankToNull(env.get("ENGINE_JDBC_USER")),
        blankToNull(env.get("ENGINE_JDBC_PASSWORD")),
        port,
        orDefault(env.get("ENGINE_BIND"), "127.0.0.1"),
        user,
        password,
        blankToNull(env.get("ENGINE_PORT_FILE")),
        table);
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }

  private static String orDefault(String v, String dflt) {
    String b = blankToNull(v);
    return b == null ? dflt : b;
  }

  /** Never prints the passwords. */
  @Override
  public String toString() {
    return "Settings[jdbcUrl=" + jdbcUrl + ", port=" + port + ", bind=" + bind + ", user=" + user
        + ", taskProjectionTable=" + taskProjectionTable + "]";
  }
}
