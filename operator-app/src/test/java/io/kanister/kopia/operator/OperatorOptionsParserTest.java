package io.kanister.kopia.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.model.RepositoryScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorOptionsParserTest {

  @Test
  void defaultsFollowTheSeed() {
    OperatorOptions options = OperatorOptionsParser.parse(List.of(), Map.of());
    assertThat(options.operatorNamespace()).isEqualTo("kanister");
    assertThat(options.repositoryScope()).isEqualTo(RepositoryScope.GLOBAL);
    assertThat(options.kopiaImage()).isEqualTo("kopia/kopia:0.23.1");
    assertThat(options.serverPort()).isEqualTo(51515);
    assertThat(options.leaderElection()).isTrue();
    assertThat(options.workers()).isEqualTo(2);
    assertThat(options.resyncPeriod()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsDefaults() {
    OperatorOptions options =
        OperatorOptionsParser.parse(
            List.of("--repository-scope=namespace", "--workers", "4", "--kopia-binary=/opt/kopia"),
            Map.of("POD_NAMESPACE", "backup", "KOPIA_OPERATOR_WORKERS", "8"));
    assertThat(options.repositoryScope()).isEqualTo(RepositoryScope.NAMESPACE);
    assertThat(options.workers()).isEqualTo(4);
    assertThat(options.operatorNamespace()).isEqualTo("backup");
    assertThat(options.kopiaBinary()).isEqualTo(Path.of("/opt/kopia"));
  }

  @Test
  void serverAddressOverridesMapServiceHostsToLocalAddresses() {
    OperatorOptions options =
        OperatorOptionsParser.parse(
            List.of(
                "--server-address-override=repo-a.kanister.svc=127.0.0.1:5000,repo-b.kanister.svc=127.0.0.1:5001"),
            Map.of());
    assertThat(options.serverAddressOverrides())
        .containsExactly(
            Map.entry("repo-a.kanister.svc", "127.0.0.1:5000"),
            Map.entry("repo-b.kanister.svc", "127.0.0.1:5001"));
  }

  @Test
  void serverResourcesAreConfigurable() {
    OperatorOptions defaults = OperatorOptionsParser.parse(List.of(), Map.of());
    assertThat(defaults.serverResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(defaults.serverResources().getLimits().get("memory").toString()).isEqualTo("1Gi");

    OperatorOptions custom =
        OperatorOptionsParser.parse(
            List.of("--server-resources=requests.cpu=250m,limits.memory=2Gi"), Map.of());
    assertThat(custom.serverResources().getRequests().get("cpu").toString()).isEqualTo("250m");
    assertThat(custom.serverResources().getLimits().get("memory").toString()).isEqualTo("2Gi");

    assertThatThrownBy(
            () -> OperatorOptionsParser.parse(List.of("--server-resources=cpu=lots"), Map.of()))
        .hasMessage(
            "--server-resources entries must look like requests.cpu=100m or limits.memory=1Gi,"
                + " got 'cpu=lots'");
  }

  @Test
  void eachBadFlagIsOneLineNamingTheFlag() {
    assertThatThrownBy(
            () -> OperatorOptionsParser.parse(List.of("--repository-scope=cluster"), Map.of()))
        .hasMessage("--repository-scope must be 'namespace' or 'global', got 'cluster'");
    assertThatThrownBy(() -> OperatorOptionsParser.parse(List.of("--server-port=0"), Map.of()))
        .hasMessage("--server-port must be a port between 1 and 65535, got 0");
    assertThatThrownBy(() -> OperatorOptionsParser.parse(List.of("--workers=two"), Map.of()))
        .hasMessage("--workers must be a whole number, got 'two'");
    assertThatThrownBy(() -> OperatorOptionsParser.parse(List.of("--leader-elect=yes"), Map.of()))
        .hasMessage("--leader-elect must be true or false, got 'yes'");
    assertThatThrownBy(() -> OperatorOptionsParser.parse(List.of("--resync-period=soon"), Map.of()))
        .hasMessage(
            "--resync-period must be a positive duration such as 30s, 10m, 1h or 1h30m, got 'soon'");
    assertThatThrownBy(() -> OperatorOptionsParser.parse(List.of("--resync-period=0s"), Map.of()))
        .hasMessageContaining("--resync-period must be a positive duration");
    assertThat(
            OperatorOptionsParser.parse(List.of("--resync-period=1h30m"), Map.of()).resyncPeriod())
        .isEqualTo(java.time.Duration.ofMinutes(90));
    assertThatThrownBy(() -> OperatorOptionsParser.parse(List.of("--bogus=1"), Map.of()))
        .hasMessage("unknown flag --bogus; see --help");
    assertThatThrownBy(() -> OperatorOptionsParser.parse(List.of("--workers"), Map.of()))
        .hasMessage("--workers needs a value");
  }
}
