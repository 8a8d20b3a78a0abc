package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.exec.KopiaWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One private kopia workspace per Repository under the operator's work folder. The folder name
 * carries the Repository's UID, so a Repository deleted and created again with the same name never
 * inherits the old connection.
 */
final class KopiaWorkspaces {
  private final Path root;

  KopiaWorkspaces(Path root) {
    this.root = root;
  }

  KopiaWorkspace forRepository(String namespace, String name, String uid) {
    return KopiaWorkspace.create(root.resolve(namespace), name + "-" + uid);
  }

  boolean isConnected(KopiaWorkspace workspace) {
    return Files.exists(workspace.configFile());
  }
}
