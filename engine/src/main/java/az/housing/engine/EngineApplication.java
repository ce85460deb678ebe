package az.housing.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.operaton.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.operaton.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.operaton.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * The housing platform's process engine: Operaton with its REST API (/engine-rest) and web apps
 * (/operaton/app/), started by the TypeScript runtime (src/engine/runtime.ts). Every setting comes
 * from environment variables (see {@link Settings}); they are passed to Spring as command-line
 * properties so nothing else on the machine (stray SERVER_PORT, application.yml) overrides them.
 */
@SpringBootApplication
public class EngineApplication {

  private static final Logger LOG = LoggerFactory.getLogger(EngineApplication.class);

  /** The schema of the app's database that holds the engine's own tables. */
  static final String ENGINE_SCHEMA = "operaton";

  private final Settings settings;

  public EngineApplication() {
    this.settings = Settings.fromEnvironment(System.getenv());
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      settings = Settings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      // configuration errors end the process before Spring starts, with one readable line
      System.err.println("engine configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      createEngineSchema(settings);
    } catch (SQLException e) {
      System.err.println("engine database: " + e.getMessage());
      System.exit(3);
      return;
    }
    SpringApplication app = new SpringApplication(EngineApplication.class);
    app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
    app.run(springArguments(settings));
  }

  /** The engine schema is created here (not by the engine), so the engine can be pointed at it. */
  static void createEngineSchema(Settings s) throws SQLException {
    Properties p = new Properties();
    if (s.jdbcUser() != null) p.setProperty("user", s.jdbcUser());
    if (s.jdbcPassword() != null) p.setProperty("password", s.jdbcPassword());
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), p);
        Statement st = c.createStatement()) {
      // looked up first: CREATE SCHEMA checks the CREATE privilege on the database even when the
      // schema exists, and a role the DBA gave a ready schema may not have that privilege
      try (ResultSet rs =
          st.executeQuery("SELECT 1 FROM pg_namespace WHERE nspname = '" + ENGINE_SCHEMA + "'")) {
        if (rs.next()) return;
      }
      st.execute("CREATE SCHEMA IF NOT EXISTS " + ENGINE_SCHEMA);
    }
  }

  /** Spring properties derived from the settings; given as `--key=value` (highest precedence). */
  static String[] springArguments(Settings s) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("server.address", s.bind());
    p.put("server.port", Integer.toString(s.port()));
    p.put("server.tomcat.threads.max", "20");
    p.put("server.tomcat.threads.min-spare", "2");
    p.put("server.error.include-stacktrace", "never");
    p.put("spring.jmx.enabled", "false");
    // engine tables in schema `operaton` of the app's database: the engine qualifies its SQL with
    // the table prefix and checks table presence in the schema (it requires prefix = schema + ".");
    // search_path = operaton as well, for the DDL of the schema creation/update scripts
    p.put("spring.datasource.url", withCurrentSchema(s.jdbcUrl(), ENGINE_SCHEMA));
    if (s.jdbcUser() != null) p.put("spring.datasource.username", s.jdbcUser());
    if (s.jdbcPassword() != null) p.put("spring.datasource.password", s.jdbcPassword());
    p.put("spring.datasource.driver-class-name", "org.postgresql.Driver");
    p.put("spring.datasource.hikari.maximum-pool-size", "10");
    p.put("spring.datasource.hikari.minimum-idle", "2");
    p.put("operaton.bpm.database.type", "postgres");
    p.put("operaton.bpm.database.schema-name", ENGINE_SCHEMA);
    p.put("operaton.bpm.database.table-prefix", ENGINE_SCHEMA + ".");
    p.put("operaton.bpm.database.schema-update", "true");
    p.put("operaton.bpm.history-level", "full");
    // No removal time on history rows: by default, when an instance ends the engine rewrites every
    // history row of it (nine UPDATE ... SET REMOVAL_TIME_ statements, ~90 rows per application,
    // 28% of the engine's row writes; measured on bench:e2e). The app never reads removal times and
    // no cleanup window is configured; should cleanup be scheduled, endTimeBased still counts each
    // model's historyTimeToLive from the instance's end, as the default strategy would.
    p.put("operaton.bpm.generic-properties.properties.history-removal-time-strategy", "none");
    p.put("operaton.bpm.generic-properties.properties.history-cleanup-strategy", "endTimeBased");
    p.put("operaton.bpm.default-serialization-format", JsonObjectSerializer.FORMAT);
    p.put("operaton.bpm.auto-deployment-enabled", "false"); // the app deploys
    p.put("operaton.bpm.authorization.enabled", "true");
    p.put("operaton.bpm.job-execution.enabled", "true");
    p.put("operaton.bpm.job-execution.core-pool-size", "2");
    p.put("operaton.bpm.job-execution.max-pool-size", "4");
    p.put("operaton.bpm.metrics.enabled", "false");
    p.put("operaton.bpm.webapp.index-redirect-enabled", "true");
    List<String> args = new ArrayList<>();
    p.forEach((k, v) -> args.add("--" + k + "=" + v));
    return args.toArray(String[]::new);
  }

  /** Adds `currentSchema=<schema>` to a PostgreSQL JDBC URL unless it names one already. */
  static String withCurrentSchema(String jdbcUrl, String schema) {
    if (jdbcUrl.contains("currentSchema=")) return jdbcUrl;
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /**
   * Every REST request needs HTTP Basic auth of an engine user (the REST API is anonymous by
   * default). The same filter Operaton's own "Run" distribution registers when auth is on.
   */
  @Bean
  FilterRegistrationBean<ProcessEngineAuthenticationFilter> restAuthenticationFilter() {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> reg =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    reg.setName("engine-rest-authentication");
    reg.addInitParameter(
        ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
        HttpBasicAuthenticationProvider.class.getName());
    reg.addInitParameter(ProcessEngineAuthenticationFilter.SERVLET_PATH_PREFIX, "/engine-rest");
    reg.addUrlPatterns("/engine-rest/*");
    reg.setOrder(0);
    return reg;
  }

  @Bean
  ProcessEnginePlugin serviceAccountPlugin() {
    return new ServiceAccountPlugin(settings.user(), settings.password());
  }

  @Bean
  ProcessEnginePlugin jsonVariablesPlugin() {
    return new JsonVariablesPlugin();
  }

  @Bean
  ProcessEnginePlugin taskProjectionPlugin() {
    return new TaskProjectionPlugin(settings.taskProjectionTable());
  }

  /**
   * Writes the port Tomcat really listens on (ENGINE_PORT=0 picks a free one) to ENGINE_PORT_FILE,
   * atomically, so the runtime never reads a half-written number.
   */
  @Bean
  ApplicationListener<WebServerInitializedEvent> portFileWriter() {
    return event -> {
      int port = event.getWebServer().getPort();
      LOG.info("engine listening on {}:{}", settings.bind(), port);
      if (settings.portFile() == null) return;
      Path target = Path.of(settings.portFile());
      try {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, port + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write ENGINE_PORT_FILE " + target, e);
      }
    };
  }
}
