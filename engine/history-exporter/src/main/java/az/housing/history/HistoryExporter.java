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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * position and the app ignores what it has already applied.
 *
 * <p>Every method runs on the exporter's actor thread, so the state below needs no locking. The
 * request itself runs on the HTTP client's threads: the actor thread (shared with the broker's
 * processing) never waits for the app; a scheduled check picks up the answer.
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
  /** How often an answer of the app is looked for while a request is out. */
  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final long LOG_EVERY_MS = 30_000;
  /** Send early when this much JSON is waiting (the app accepts far more in one request). */
  private static final long BATCH_BYTES = 4L << 20;

  private Logger log;
  private URI url;
  private String token;
  private int batchSize;
  private Duration flushInterval;
  private int partitionId;

  private HttpClient http;
  private Controller controller;
  private ScheduledTask tick;

  /** Records not sent yet, in position order. */
  private List<String> buffer = new ArrayList<>();
  private long bufferedBytes;
  /** Position of the last record seen; everything up to it is buffered, sent or not wanted. */
  private long lastPosition = -1;

  /** The request out, its records (sent again if it fails) and the position it covers. */
  private CompletableFuture<HttpResponse<Void>> inFlight;
  private List<String> inFlightRecords = List.of();
  private long inFlightBytes;
  private long inFlightPosition;
  private long lastSendAt;

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
    scheduleTick(flushInterval);
    log.info("history exporter: sending to {} every {} ms", url, flushInterval.toMillis());
  }

  @Override
  public void close() {
    if (tick != null) {
      tick.cancel();
    }
    // Best effort: take the answer of the request out; the rest is exported again next start.
    if (inFlight != null) {
      try {
        inFlight.get(5, TimeUnit.SECONDS);
      } catch (final Exception e) {
        // handled by poll() as a failure
      }
      poll();
    }
  }

  @Override
  public void export(final Record<?> record) {
    poll();
    // Back-pressure: while the app is away and too much is waiting, refuse the record; the
    // broker offers it again later.
    if (buffer.size() + inFlightRecords.size() >= batchSize * 10) {
      throw new IllegalStateException(
          "history exporter: intake unavailable and "
              + (buffer.size() + inFlightRecords.size())
              + " records waiting");
    }
    if (INTENTS.contains(record.getIntent())) {
      final String json = record.toJson();
      buffer.add(json);
      bufferedBytes += json.length();
    }
    lastPosition = record.getPosition();
    if (buffer.isEmpty() && inFlight == null) {
      controller.updateLastExportedRecordPosition(lastPosition);
    } else if (buffer.size() >= batchSize || bufferedBytes >= BATCH_BYTES) {
      send();
    }
  }

  private void scheduleTick(final Duration delay) {
    tick =
        controller.scheduleCancellableTask(
            delay,
            () -> {
              poll();
              if (buffer.size() >= batchSize
                  || bufferedBytes >= BATCH_BYTES
                  || System.currentTimeMillis() - lastSendAt >= flushInterval.toMillis()) {
                send();
              }
              scheduleTick(inFlight != null ? POLL_INTERVAL : flushInterval);
            });
  }

  /** Sends the buffer unless a request is out, it is empty, or a failure's backoff runs. */
  private void send() {
    if (inFlight != null || buffer.isEmpty()) {
      return;
    }
    final long now = System.currentTimeMillis();
    if (now < nextAttemptAt) {
      return;
    }
    final StringBuilder body =
        new StringBuilder((int) Math.min(Integer.MAX_VALUE - 64, bufferedBytes + 64));
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
    inFlightRecords = buffer;
    inFlightBytes = bufferedBytes;
    inFlightPosition = lastPosition;
    buffer = new ArrayList<>();
    bufferedBytes = 0;
    lastSendAt = now;
    inFlight = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
  }

  /** Takes the answer of the request out, if there is one: acknowledge, or keep for a retry. */
  private void poll() {
    if (inFlight == null || !inFlight.isDone()) {
      return;
    }
    String failure = null;
    try {
      final int status = inFlight.join().statusCode();
      if (status < 200 || status >= 300) {
        failure = "HTTP " + status;
      }
    } catch (final Exception e) {
      final Throwable cause = e.getCause() != null ? e.getCause() : e;
      failure = cause.getClass().getSimpleName();
    }
    inFlight = null;
    if (failure == null) {
      if (failures > 0) {
        log.info("history exporter: intake reachable again after {} failed attempts", failures);
      }
      failures = 0;
      nextAttemptAt = 0;
      inFlightRecords = List.of();
      inFlightBytes = 0;
      // Records seen since, if none of them is waiting, are covered as well.
      controller.updateLastExportedRecordPosition(
          buffer.isEmpty() ? lastPosition : inFlightPosition);
    } else {
      // Put them back in front, in order, to be sent again.
      final List<String> again = new ArrayList<>(inFlightRecords.size() + buffer.size());
      again.addAll(inFlightRecords);
      again.addAll(buffer);
      buffer = again;
      bufferedBytes += inFlightBytes;
      inFlightRecords = List.of();
      inFlightBytes = 0;
      failed(failure);
    }
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
