package io.kanister.kopia.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KopiaFailureTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          connect-empty                  | REPOSITORY_NOT_INITIALIZED | error connecting to repository: repository not initialized in the provided storage
          create-existing                | ALREADY_EXISTS             | unable to get repository storage: found existing data in storage location
          users-add-existing             | ALREADY_EXISTS             | error getting new user profile: alice@host: user already exists
          connect-wrong-password         | INVALID_PASSWORD           | error connecting to repository: unable to create format manager: invalid repository password
          not-connected-status           | NOT_CONNECTED              | open repository: repository is not connected. See https://kopia.io/docs/repositories/
          not-connected-snapshot-list    | NOT_CONNECTED              | open repository: repository is not connected. See https://kopia.io/docs/repositories/
          s3-connect-unreachable         | STORAGE_UNREACHABLE        | can't connect to storage: error retrieving storage config from bucket "bucket": Get "http://127.0.0.1:1/bucket/?location=": dial tcp 127.0.0.1:1: connect: connection refused
          s3-create-unreachable          | STORAGE_UNREACHABLE        | can't connect to storage: error retrieving storage config from bucket "bucket": Get "http://127.0.0.1:1/bucket/?location=": dial tcp 127.0.0.1:1: connect: connection refused
          fs-connect-missing-path        | STORAGE_UNREACHABLE        | can't connect to storage: cannot access storage path: stat /tmp/capw.bhg2/does-not-exist: no such file or directory
          server-connect-refused         | STORAGE_UNREACHABLE        | error connecting to API server: unable to establish session for purpose=: error establishing session: Session(): rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1: connect: connection refused"
          fs-permission-denied           | ACCESS_DENIED              | can't connect to storage: cannot access storage path: stat /tmp/capw.bhg2/locked/repo: permission denied
          fs-permission-denied-connect   | ACCESS_DENIED              | error connecting to repository: unable to read format blob: error determining sharded path: error getting sharding parameters for storage: unable to complete GetBlobFromPath:/tmp/capw.bhg2/repo/.shards despite 10 retries: open /tmp/capw.bhg2/repo/.shards: permission denied
          server-connect-access-denied   | ACCESS_DENIED              | error connecting to API server: unable to establish session for purpose=: error establishing session: unable to initialize session: rpc error: code = PermissionDenied desc = access denied for alice@host: EOF
          server-connect-unknown-user    | ACCESS_DENIED              | error connecting to API server: unable to establish session for purpose=: error establishing session: unable to initialize session: rpc error: code = PermissionDenied desc = access denied for nobody@host: EOF
          users-set-unknown              | USER_NOT_FOUND             | error getting user profile: bob@host: user not found
          users-info-unknown             | USER_NOT_FOUND             | error getting user profile: bob@host: user not found
          policy-set-nochanges           | NO_CHANGES                 | no changes specified
          policy-set-nochanges-path      | NO_CHANGES                 | no changes specified
          set-client-nochanges           | NO_CHANGES                 | no changes
          users-set-nochange             | NO_CHANGES                 | no change
          unknown-flag                   | BAD_ARGUMENTS              | kopia: error: unknown long flag '--bogus-flag', try --help
          missing-flag                   | BAD_ARGUMENTS              | kopia: error: required flag(s) '--path' not provided, try --help
          missing-arg                    | BAD_ARGUMENTS              | kopia: error: required argument 'username' not provided, try --help
          repeated-flag                  | BAD_ARGUMENTS              | kopia: error: flag 'json' cannot be repeated, try --help
          unknown-command                | BAD_ARGUMENTS              | kopia: error: expected command but got "<redacted>", try --help
          unexpected-arg                 | BAD_ARGUMENTS              | kopia: error: unexpected <redacted>, try --help
          bad-flag-value                 | BAD_ARGUMENTS              | kopia: error: strconv.ParseFloat: parsing "<redacted>": invalid syntax, try --help
          """)
  void classifiesCapturedStderr(String fixture, KopiaErrorKind kind, String summary) {
    KopiaFailure failure = CapturedFailure.read(fixture).classify();

    assertThat(failure.kind()).isEqualTo(kind);
    assertThat(failure.exitCode()).hasValue(1);
    assertThat(failure.summary()).isEqualTo(summary);
  }

  @Test
  void serverCertificateMismatchIsNotReportedAsAnOutage() {
    KopiaFailure failure = CapturedFailure.read("server-connect-bad-fingerprint").classify();

    assertThat(failure.kind()).isEqualTo(KopiaErrorKind.UNKNOWN);
    assertThat(failure.summary())
        .startsWith("error connecting to API server:")
        .contains("can't find certificate matching SHA256 fingerprint");
  }

  @Test
  void deletingAnUnknownUserSucceedsInKopia() {
    // Captured to document kopia's behaviour: there is no USER_NOT_FOUND to classify here.
    CapturedFailure captured = CapturedFailure.read("users-delete-unknown");

    assertThat(captured.exitCode()).isZero();
    assertThat(captured.stderr()).contains("User \"bob@host\" deleted.");
  }

  @Test
  void summaryIsTheLastLineOfTheDecidingKindNotTheProgressBeforeIt() {
    assertThat(CapturedFailure.read("policy-set-nochanges").stderr())
        .startsWith("Setting policy for (global)");
    assertThat(CapturedFailure.read("connect-wrong-password").classify().summary())
        .startsWith("error connecting to repository:");
  }

  @Test
  void neverEchoesEnvironmentOrServerSecretLines() {
    String stderr =
        String.join(
            "\n",
            "KOPIA_PASSWORD=hunter2",
            "AWS_SECRET_ACCESS_KEY=abc",
            "SERVER PASSWORD: 0123abcd",
            "SERVER CONTROL PASSWORD: 4567ef",
            "");

    KopiaFailure failure = KopiaFailure.classify(1, stderr);

    assertThat(failure.kind()).isEqualTo(KopiaErrorKind.UNKNOWN);
    assertThat(failure.summary())
        .doesNotContain("hunter2", "abc", "0123abcd", "4567ef")
        .isEqualTo("kopia exited with code 1 and no printable error");
  }

  @Test
  void masksUrlCredentialsAndKnownSecretValues() {
    String stderr =
        "can't connect to storage: Get \"https://user:pa55@minio:9000/b\": dial tcp: no such host"
            + " (password tried: hunter2)";

    KopiaFailure failure = KopiaFailure.classify(1, stderr, List.of("hunter2"));

    assertThat(failure.kind()).isEqualTo(KopiaErrorKind.STORAGE_UNREACHABLE);
    assertThat(failure.summary())
        .doesNotContain("pa55", "hunter2")
        .contains("https://<redacted>@minio:9000/b")
        .contains("password tried: <redacted>");
  }

  @Test
  void s3CredentialErrorsAreAccessDeniedEvenBehindConnectFailures() {
    String stderr =
        "can't connect to storage: error retrieving storage config from bucket \"b\":"
            + " The Access Key Id you provided does not exist in our records. (InvalidAccessKeyId)";

    assertThat(KopiaFailure.classify(1, stderr).kind()).isEqualTo(KopiaErrorKind.ACCESS_DENIED);
  }

  @Test
  void emptyStderrStillGivesAOneLineSummary() {
    KopiaFailure failure = KopiaFailure.classify(137, "");

    assertThat(failure.kind()).isEqualTo(KopiaErrorKind.UNKNOWN);
    assertThat(failure.exitCode()).hasValue(137);
    assertThat(failure.summary()).isEqualTo("kopia exited with code 137 and no printable error");
  }

  @Test
  void unrecognisedErrorKeepsKopiasLastLine() {
    KopiaFailure failure =
        KopiaFailure.classify(1, "Connecting to server...\nsomething new went wrong\n\n");

    assertThat(failure.kind()).isEqualTo(KopiaErrorKind.UNKNOWN);
    assertThat(failure.summary()).isEqualTo("something new went wrong");
  }

  @Test
  void longLinesAreCut() {
    KopiaFailure failure = KopiaFailure.classify(1, "x".repeat(1000));

    assertThat(failure.summary()).hasSize(300).endsWith("…");
  }

  @Test
  void timeoutIsSetByTheRunner() {
    KopiaFailure failure = KopiaFailure.timeout(Duration.ofMinutes(5));

    assertThat(failure.kind()).isEqualTo(KopiaErrorKind.TIMEOUT);
    assertThat(failure.exitCode()).isEmpty();
    assertThat(failure.summary()).isEqualTo("kopia did not finish within PT5M");
  }
}
