package io.kanister.kopia.operator.cli;

/**
 * The exit codes of {@code status}, for scripts; docs/cli.md lists them. When several apply, the
 * highest in this order wins: {@link #API_ERROR}, {@link #NOT_READY}, {@link #DEGRADED}.
 */
public final class ExitCode {
  /** Every listed Repository is Ready and nothing in it is failing (or none was listed). */
  public static final int READY = 0;

  /**
   * At least one Repository is not Ready: RepositoryReady or ServerReady is not True, or the status
   * describes an older generation than the spec.
   */
  public static final int NOT_READY = 1;

  /** Bad arguments. */
  public static final int USAGE = 2;

  /**
   * The named Repository does not exist, the CRD is missing, or the API server refused or failed.
   */
  public static final int API_ERROR = 3;

  /**
   * Every Repository is Ready (clients can connect) but at least one has failed users or
   * MaintenanceHealthy=False: serving, yet needs a person.
   */
  public static final int DEGRADED = 4;

  private ExitCode() {}
}
