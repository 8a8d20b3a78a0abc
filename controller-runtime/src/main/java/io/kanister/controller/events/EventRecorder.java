package io.kanister.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.controller.metadata.ContentDigest;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects and aggregates repeats: the same object, type, reason and
 * message always map to the same Event name, so a repeat raises {@code count} and moves {@code
 * lastTimestamp} instead of adding an Event (also across restarts of the operator).
 *
 * <p>Events are best effort: a failure to record one is logged and never fails a reconcile.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_ATTEMPTS = 3;

  private final KubernetesClient client;
  private final String component;
  private final String instance;
  private final Clock clock;

  /**
   * @param component who reports, e.g. {@code my-operator}
   * @param instance which replica reports, e.g. the pod name
   */
  public EventRecorder(KubernetesClient client, String component, String instance, Clock clock) {
    this.client = client;
    this.component = component;
    this.instance = instance;
    this.clock = clock;
  }

  public void normal(HasMetadata involved, String reason, String message) {
    record(involved, EventType.NORMAL, reason, message);
  }

  public void warning(HasMetadata involved, String reason, String message) {
    record(involved, EventType.WARNING, reason, message);
  }

  public void record(HasMetadata involved, EventType type, String reason, String message) {
    var namespace = namespaceOf(involved);
    var name = eventName(involved, type, reason, message);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        var events = client.v1().events().inNamespace(namespace);
        var existing = events.withName(name).get();
        var now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        if (existing == null) {
          events.resource(newEvent(involved, type, reason, message, namespace, name, now)).create();
        } else {
          var count = existing.getCount() == null ? 1 : existing.getCount();
          existing.setCount(count + 1);
          existing.setLastTimestamp(now);
          events.resource(existing).update();
        }
        return;
      } catch (KubernetesClientException e) {
        // 409: created or updated concurrently by another recorder; read again and count on it.
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == MAX_ATTEMPTS) {
          LOG.warn(
              "could not record event {} {} on {} {}/{}: {}",
              type.value(),
              reason,
              involved.getKind(),
              namespace,
              involved.getMetadata().getName(),
              e.getMessage());
          return;
        }
      }
    }
  }

  private Event newEvent(
      HasMetadata involved,
      EventType type,
      String reason,
      String message,
      String namespace,
      String name,
      String now) {
    var meta = involved.getMetadata();
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(involved.getApiVersion())
                .withKind(involved.getKind())
                .withNamespace(meta.getNamespace())
                .withName(meta.getName())
                .withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .build())
        .withType(type.value())
        .withReason(reason)
        .withMessage(message)
        .withCount(1)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withNewSource()
        .withComponent(component)
        .endSource()
        .withReportingComponent(component)
        .withReportingInstance(instance)
        .build();
  }

  private static String namespaceOf(HasMetadata involved) {
    var namespace = involved.getMetadata().getNamespace();
    return namespace == null ? "default" : namespace;
  }

  /** Deterministic, so repeats find the Event to count on without any local state. */
  static String eventName(HasMetadata involved, EventType type, String reason, String message) {
    var meta = involved.getMetadata();
    var key =
        String.join(
            "\u0000",
            involved.getKind(),
            String.valueOf(meta.getUid()),
            type.value(),
            reason,
            message);
    var prefix = meta.getName().length() > 200 ? meta.getName().substring(0, 200) : meta.getName();
    return prefix + "." + ContentDigest.hex(key, 16);
  }
}
