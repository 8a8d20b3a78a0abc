package io.kanister.kopia.core.command;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kopia repository ...} commands. The repository (or server user) password always travels as
 * {@code KOPIA_PASSWORD}, storage credentials as the provider's environment variables.
 */
public final class RepositoryCommands {
  static final String PASSWORD_ENV = "KOPIA_PASSWORD";

  private RepositoryCommands() {}

  /**
   * Initializes a new repository and connects to it. Kopia refuses to initialize storage that
   * already holds data ("found existing data in storage location"), so this never overwrites.
   *
   * @param createOnly initialize without connecting the workspace ({@code --create-only})
   */
  public static KopiaCommand create(
      StorageLocation location, SecretValue password, ClientIdentity identity, boolean createOnly) {
    List<String> args = new ArrayList<>(List.of("repository", "create"));
    args.addAll(location.providerArgs());
    args.addAll(identity.flags());
    if (createOnly) {
      args.add("--create-only");
    }
    return directCommand(args, location, password);
  }

  /** Connects the workspace to an existing repository; fails if the password does not open it. */
  public static KopiaCommand connect(
      StorageLocation location, SecretValue password, ClientIdentity identity) {
    List<String> args = new ArrayList<>(List.of("repository", "connect"));
    args.addAll(location.providerArgs());
    args.addAll(identity.flags());
    return directCommand(args, location, password);
  }

  /**
   * Connects the workspace to a repository server as a server user. The server is identified by the
   * SHA-256 fingerprint of its certificate; {@code userPassword} is that user's password.
   */
  public static KopiaCommand connectServer(
      String url,
      CertificateFingerprint fingerprint,
      ClientIdentity identity,
      SecretValue userPassword) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "repository",
                "connect",
                "server",
                "--url=" + url,
                "--server-cert-fingerprint=" + fingerprint.hex()));
    args.addAll(identity.flags());
    return KopiaCommand.builder()
        .args(args)
        .putSecretEnvironment(PASSWORD_ENV, userPassword.reveal())
        .build();
  }

  public static KopiaCommand status() {
    return KopiaCommand.of(List.of("repository", "status", "--json"));
  }

  public static KopiaCommand disconnect() {
    return KopiaCommand.of(List.of("repository", "disconnect"));
  }

  private static KopiaCommand directCommand(
      List<String> args, StorageLocation location, SecretValue password) {
    return KopiaCommand.builder()
        .args(args)
        .putAllEnvironment(location.environment())
        .putAllSecretEnvironment(location.secretEnvironment())
        .putAllSecretEnvironment(Map.of(PASSWORD_ENV, password.reveal()))
        .build();
  }
}
