package io.kanister.kopia.operator.export;

/**
 * Where the client files go in the container: {@code <directory>/repository.config} (what {@code
 * KOPIA_CONFIG_PATH} or {@code --config-file} should name) and {@code <directory>/password} (the
 * user's password, without a trailing newline, for {@code KOPIA_PASSWORD}).
 */
public record ClientFiles(String directory) {
  public static final String DEFAULT_DIRECTORY = "/tmp/kopia-client";
  public static final String CONFIG_FILE_NAME = "repository.config";
  public static final String PASSWORD_FILE_NAME = "password";

  public ClientFiles {
    if (directory == null || !directory.startsWith("/")) {
      throw new IllegalArgumentException("the client file directory must be an absolute path");
    }
    while (directory.length() > 1 && directory.endsWith("/")) {
      directory = directory.substring(0, directory.length() - 1);
    }
  }

  public static ClientFiles defaults() {
    return new ClientFiles(DEFAULT_DIRECTORY);
  }

  /**
   * The folder of one Repository's files under this one, {@code <directory>/<repository>}: a
   * workload served by several Repositories gets one folder for each, and none overwrites another.
   */
  public ClientFiles forRepository(String repositoryName) {
    if (repositoryName == null || repositoryName.isEmpty() || repositoryName.contains("/")) {
      throw new IllegalArgumentException("a Repository name is one path segment");
    }
    return new ClientFiles(join(repositoryName));
  }

  public String configFile() {
    return join(CONFIG_FILE_NAME);
  }

  public String passwordFile() {
    return join(PASSWORD_FILE_NAME);
  }

  private String join(String name) {
    return directory.equals("/") ? "/" + name : directory + "/" + name;
  }
}
