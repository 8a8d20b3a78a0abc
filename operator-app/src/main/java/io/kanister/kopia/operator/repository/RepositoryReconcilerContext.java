package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.CachedObjects;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.status.StatusWriter;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.maintenance.RepositoryMaintenance;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the Repository reconciler is built from; the operator main and the tests fill it.
 *
 * @param maintenance the maintenance step's scheduler; null runs no maintenance (tests)
 * @param ownedObjects the caches the server's Secret, Deployment and Service are read from; null
 *     reads them from the API server
 */
public record RepositoryReconcilerContext(
    KubernetesClient client,
    InformerCache<Repository> repositories,
    InformerCache<Secret> secrets,
    StatusWriter statusWriter,
    EventRecorder events,
    KopiaRunner kopiaRunner,
    Path workDirectory,
    String kopiaImage,
    int serverPort,
    ResourceRequirements serverResources,
    ServerEndpointResolver endpointResolver,
    Duration resyncPeriod,
    Clock clock,
    AccessUsersStep users,
    List<Consumer<Repository>> forgetHooks,
    FilesystemRoots filesystemRoots,
    RepositoryMaintenance maintenance,
    CachedObjects ownedObjects) {}
