package io.kanister.controller.cache;

import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager;
import io.fabric8.kubernetes.client.informers.impl.ListerWatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Lists and watches objects as generic maps and decodes each one on its own. fabric8's typed
 * informer decodes a whole list or watch event at once, and one object it cannot decode (a number
 * too large for its Java field, say) stops the informer for good: every later object of that type
 * goes unseen. Here such an object is skipped and reported, and the others flow on.
 *
 * <p>An object that stops decoding after an update is passed on as deleted, so the cache never
 * keeps serving its older, decodable version as if it were current. Nothing is deleted in the
 * cluster: readers just no longer see it until it is fixed.
 */
final class DecodingListerWatcher<R extends HasMetadata>
    implements ListerWatcher<R, DefaultKubernetesResourceList<R>> {
  private final Class<R> type;
  private final ListerWatcher<GenericKubernetesResource, GenericKubernetesResourceList> generic;
  private final KubernetesSerialization serialization;
  private final UndecodableObjects undecodable;

  DecodingListerWatcher(
      Class<R> type,
      ListerWatcher<GenericKubernetesResource, GenericKubernetesResourceList> generic,
      KubernetesSerialization serialization,
      UndecodableObjects undecodable) {
    this.type = type;
    this.generic = generic;
    this.serialization = serialization;
    this.undecodable = undecodable;
  }

  @Override
  public CompletableFuture<DefaultKubernetesResourceList<R>> submitList(ListOptions options) {
    return generic
        .submitList(options)
        .thenApply(
            list -> {
              List<R> items = new ArrayList<>(list.getItems().size());
              for (GenericKubernetesResource item : list.getItems()) {
                decode(item).ifPresent(items::add);
              }
              DefaultKubernetesResourceList<R> typed = new DefaultKubernetesResourceList<>();
              typed.setApiVersion(list.getApiVersion());
              typed.setKind(list.getKind());
              typed.setMetadata(list.getMetadata());
              typed.setItems(items);
              return typed;
            });
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public CompletableFuture<AbstractWatchManager<R>> submitWatch(
      ListOptions options, Watcher<R> watcher) {
    // The informer only keeps the manager to close it; its element type is erased there.
    return (CompletableFuture)
        generic.submitWatch(
            options,
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource object) {
                Optional<R> decoded = decode(object);
                if (decoded.isPresent()) {
                  watcher.eventReceived(action, decoded.get());
                } else if (action != Action.DELETED && action != Action.BOOKMARK) {
                  stub(object).ifPresent(gone -> watcher.eventReceived(Action.DELETED, gone));
                }
              }

              @Override
              public boolean reconnecting() {
                return watcher.reconnecting();
              }

              @Override
              public void onClose() {
                watcher.onClose();
              }

              @Override
              public void onClose(WatcherException cause) {
                watcher.onClose(cause);
              }
            });
  }

  @Override
  public Long getLimit() {
    return generic.getLimit();
  }

  @Override
  public int getWatchReconnectInterval() {
    return generic.getWatchReconnectInterval();
  }

  @Override
  public String getApiEndpointPath() {
    return generic.getApiEndpointPath();
  }

  @Override
  public Config getConfig() {
    return generic.getConfig();
  }

  private Optional<R> decode(GenericKubernetesResource object) {
    try {
      R decoded = serialization.convertValue(object, type);
      undecodable.decoded(object);
      return Optional.of(decoded);
    } catch (RuntimeException e) {
      undecodable.report(type, object, e);
      return Optional.empty();
    }
  }

  /** Only the object's identity, to take an older version of it out of the cache. */
  private Optional<R> stub(GenericKubernetesResource object) {
    try {
      R gone = type.getDeclaredConstructor().newInstance();
      gone.setMetadata(
          new ObjectMetaBuilder()
              .withNamespace(object.getMetadata().getNamespace())
              .withName(object.getMetadata().getName())
              .withUid(object.getMetadata().getUid())
              .withResourceVersion(object.getMetadata().getResourceVersion())
              .build());
      return Optional.of(gone);
    } catch (ReflectiveOperationException e) {
      return Optional.empty();
    }
  }
}
