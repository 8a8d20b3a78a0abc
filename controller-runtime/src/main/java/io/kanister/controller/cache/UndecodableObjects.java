package io.kanister.controller.cache;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kanister.controller.events.EventRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports objects an informer had to skip because they cannot be decoded into their Java type: a
 * Warning Event on the object, a log line and the counter {@code informer.undecodable.objects} (tag
 * {@code kind}). Each version of an object is reported once, however often it is listed again.
 * Messages name the object and the field, never the value.
 */
public final class UndecodableObjects {
  /** The Event reason. */
  public static final String REASON = "DecodeFailed";

  public static final String METRIC = "informer.undecodable.objects";
  private static final Logger LOG = LoggerFactory.getLogger(UndecodableObjects.class);

  private final MeterRegistry registry;
  private final ExecutorService reporting;
  private volatile EventRecorder events;
  private final Map<String, String> reportedVersions = new ConcurrentHashMap<>();

  /**
   * @param reporting where Events are written, off the watch thread that found the object
   */
  UndecodableObjects(MeterRegistry registry, ExecutorService reporting) {
    this.registry = registry;
    this.reporting = reporting;
  }

  /** Where the Events go; without one, undecodable objects are only logged and counted. */
  void events(EventRecorder recorder) {
    this.events = recorder;
  }

  void decoded(GenericKubernetesResource object) {
    String uid = object.getMetadata().getUid();
    if (uid != null) {
      reportedVersions.remove(uid);
    }
  }

  void report(Class<? extends HasMetadata> type, GenericKubernetesResource object, Exception e) {
    String uid = String.valueOf(object.getMetadata().getUid());
    String version = String.valueOf(object.getMetadata().getResourceVersion());
    if (version.equals(reportedVersions.put(uid, version))) {
      return;
    }
    String kind = HasMetadata.getKind(type);
    Counter.builder(METRIC)
        .description("objects an informer skipped because they cannot be decoded")
        .tag("kind", kind)
        .register(registry)
        .increment();
    String message =
        kind
            + " "
            + object.getMetadata().getNamespace()
            + "/"
            + object.getMetadata().getName()
            + " cannot be decoded"
            + field(e)
                .map(f -> ": field " + f + " holds a value out of range or of the wrong type")
                .orElse("")
            + " ("
            + rootType(e)
            + "); it is ignored until it is fixed, and every other "
            + kind
            + " is still watched";
    LOG.warn("{}", message);
    EventRecorder recorder = events;
    if (recorder != null) {
      reporting.execute(() -> recorder.warning(object, REASON, message));
    }
  }

  /** The JSON path of the field that failed, e.g. {@code spec.policy.keepLatest}. */
  private static Optional<String> field(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
        return Optional.of(
            mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "["));
      }
    }
    return Optional.empty();
  }

  private static String rootType(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }
}
