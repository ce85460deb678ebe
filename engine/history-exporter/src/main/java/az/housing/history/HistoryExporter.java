package az.housing.history;

import io.camunda.zeebe.exporter.api.Exporter;
import io.camunda.zeebe.exporter.api.context.Context;
import io.camunda.zeebe.exporter.api.context.Controller;
import io.camunda.zeebe.exporter.api.context.ScheduledTask;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.Intent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessIntent;
import io.camunda.zeebe.protocol.record.intent.VariableIntent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Sends the engine's history to the app (POST {partitionId, records: [...]}, bearer token), so
 * the operator console works on a broker without Operate or secondary storage.
 *
 * <p>A position is acknowledged to the broker only after the app answered 2xx, so nothing is lost
 * when the app or the broker crashes: the broker exports again from the last acknowledged
 * position and the app ignores what it has already applied. Every method runs on the exporter's
 * actor thread, so the state below needs no locking.
 */
public final class HistoryExporter implements Exporter {

  private static final Set<ValueType> VALUE_TYPES =
      EnumSet.of(
          ValueType.PROCESS_INSTANCE, ValueType.INCIDENT, ValueType.VARIABLE, ValueType.PROCESS);

  /** ACTIVATING, not ACTIVATED: an element stuck on its input mappings never gets ACTIVATED. */
  private static final Set<Intent> INTENTS =
      Set.of(
          ProcessInstanceIntent.ELEMENT_ACTIVATING,
          ProcessInstanceIntent.ELEMENT_COMPLETED,
          ProcessInstanceIntent.ELEMENT_TERMINATED,
          IncidentIntent.CREATED,
          IncidentIntent.RESOLVED,
          VariableIntent.CREATED,
          VariableIntent.UPDATED,
          ProcessIntent.CREATED);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final long LOG_EVERY_MS = 30_000;
  /** Flush early when this much JSON is waiting (the app accepts far more in one request). */
  private static final long BATCH_BYTES = 4L << 20;

  private Logger log;
  private URI url;
  private String token;
  private int batchSize;
  private Duration flushInterval;
  private int partitionId;

  private HttpClient http;
  private Controller controller;
  private ScheduledTask flushTask;

  private final List<String> buffer = new ArrayList<>();
  private long bufferedBytes;
  /** Position of the last record seen; everything up to it is sent or not wanted. */
  private long lastPosition = -1;

  private int failures;
  private long nextAttemptAt;
  private long lastFailureLogAt;
  private int failuresSinceLog;

  @Override
  public void configure(final Context context) {
    log = context.getLogger();
    partitionId = context.getPartitionId();
    final Map<String, Object> args = context.getConfiguration().getArguments();
    final String u = arg(args, "url", null);
    if (u == null || u.isBlank()) {
      throw new IllegalArgumentException("history exporter: argument 'url' is required");
    }
    url = URI.create(u);
    token = arg(args, "token", "");
    batchSize = Math.max(1, Integer.parseInt(arg(args, "batchSize", "200")));
    flushInterval = Duration.ofMillis(Math.max(50, Long.parseLong(arg(args, "flushMs", "500"))));
    context.setFilter(
        new Context.RecordFilter() {
          @Override
          public boolean acceptType(final RecordType recordType) {
            return recordType == RecordType.EVENT;
          }

          @Override
          public boolean acceptValue(final ValueType valueType) {
            return VALUE_TYPES.contains(valueType);
          }
        });
  }

  /** Environment variables reach the broker's argument map in lower case: look up either. */
  private static String arg(final Map<String, Object> args, final String name, final String def) {
    if (args == null) {
      return def;
    }
    Object v = args.get(name);
    if (v == null) {
      v = args.get(name.toLowerCase(Locale.ROOT));
    }
    return v == null ? def : String.valueOf(v);
  }

  @Override
  public void open(final Controller controller) {
    this.controller = controller;
    http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    scheduleFlush();
    log.info("history exporter: sending to {} every {} ms", url, flushInterval.toMillis());
  }

  @Override
  public void close() {
    if (flushTask != null) {
      flushTask.cancel();
    }
    nextAttemptAt = 0;
    flush(); // best effort; what is not acknowledged is exported again on the next start
  }

  @Override
  public void export(final Record<?> record) {
    // Back-pressure: while the app is away and the buffer is full, refuse the record; the broker
    // offers it again later.
    if (buffer.size() >= batchSize * 10 && !flush()) {
      throw new IllegalStateException(
          "history exporter: intake unavailable and " + buffer.size() + " records waiting");
    }
    if (INTENTS.contains(record.getIntent())) {
      final String json = record.toJson();
      buffer.add(json);
      bufferedBytes += json.length();
    }
    lastPosition = record.getPosition();
    if (buffer.isEmpty()) {
      controller.updateLastExportedRecordPosition(lastPosition);
    } else if (buffer.size() >= batchSize || bufferedBytes >= BATCH_BYTES) {
      flush();
    }
  }

  private void scheduleFlush() {
    flushTask =
        controller.scheduleCancellableTask(
            flushInterval,
            () -> {
              flush();
              scheduleFlush();
            });
  }

  /** Sends the buffer; true when it is empty afterwards. */
  private boolean flush() {
    if (buffer.isEmpty()) {
      return true;
    }
    final long now = System.currentTimeMillis();
    if (now < nextAttemptAt) {
      return false;
    }
    final StringBuilder body = new StringBuilder((int) Math.min(Integer.MAX_VALUE, bufferedBytes + 64));
    body.append("{\"partitionId\":").append(partitionId).append(",\"records\":[");
    for (int i = 0; i < buffer.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append(buffer.get(i));
    }
    body.append("]}");
    final HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(REQUEST_TIMEOUT)
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    try {
      final HttpResponse<Void> response =
          http.send(request, HttpResponse.BodyHandlers.discarding());
      final int status = response.statusCode();
      if (status >= 200 && status < 300) {
        buffer.clear();
        bufferedBytes = 0;
        if (failures > 0) {
          log.info("history exporter: intake reachable again after {} failed attempts", failures);
        }
        failures = 0;
        nextAttemptAt = 0;
        controller.updateLastExportedRecordPosition(lastPosition);
        return true;
      }
      failed("HTTP " + status);
    } catch (final IOException e) {
      failed(e.getClass().getSimpleName());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      failed("interrupted");
    }
    return false;
  }

  /** Logs at most every 30 s, and never the records (they carry personal data). */
  private void failed(final String reason) {
    failures++;
    failuresSinceLog++;
    final long now = System.currentTimeMillis();
    final long backoff =
        Math.min(MAX_BACKOFF_MS, flushInterval.toMillis() << Math.min(failures, 10));
    nextAttemptAt = now + backoff;
    if (now - lastFailureLogAt >= LOG_EVERY_MS) {
      log.warn(
          "history exporter: intake {} failed ({}); {} records waiting, {} failures since last report",
          url,
          reason,
          buffer.size(),
          failuresSinceLog);
      lastFailureLogAt = now;
      failuresSinceLog = 0;
    }
  }
}
