package io.kanister.kopia.operator;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.kanister.kopia.core.command.MaintenanceCommands;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.operator.maintenance.MaintenanceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses flags ({@code --name=value} or {@code --name value}), falling back to environment
 * variables, then to defaults. Any problem is one line that names the flag and what it accepts.
 */
public final class OperatorOptionsParser {
  /** Flag name, environment variable, default. */
  private record Option(String flag, String env, String defaultValue, String help) {}

  static final List<Option> OPTIONS =
      List.of(
          new Option(
              "operator-namespace",
              "POD_NAMESPACE",
              "kanister",
              "namespace of the operator and of every Repository"),
          new Option(
              "repository-scope",
              "KOPIA_OPERATOR_REPOSITORY_SCOPE",
              "global",
              "global | namespace"),
          new Option(
              "kopia-binary",
              "KOPIA_BIN",
              "kopia",
              "the kopia binary the operator runs (name on PATH or path)"),
          new Option(
              "kopia-image",
              "KOPIA_OPERATOR_KOPIA_IMAGE",
              "kopia/kopia:0.23.1",
              "image of the Kopia server containers"),
          new Option(
              "server-port",
              "KOPIA_OPERATOR_SERVER_PORT",
              "51515",
              "port the Kopia servers listen on"),
          new Option(
              "leader-elect",
              "KOPIA_OPERATOR_LEADER_ELECT",
              "true",
              "run reconcilers only while holding the Lease"),
          new Option(
              "lease-name",
              "KOPIA_OPERATOR_LEASE_NAME",
              "kopia-operator-leader",
              "name of the leader election Lease"),
          new Option(
              "health-bind-address",
              "KOPIA_OPERATOR_HEALTH_BIND_ADDRESS",
              "0.0.0.0",
              "address /healthz, /readyz and /metrics listen on"),
          new Option(
              "health-port",
              "KOPIA_OPERATOR_HEALTH_PORT",
              "8081",
              "port of /healthz, /readyz and /metrics"),
          new Option("workers", "KOPIA_OPERATOR_WORKERS", "2", "concurrent reconciles"),
          new Option(
              "work-dir",
              "KOPIA_OPERATOR_WORK_DIR",
              "/tmp/kopia-operator",
              "private folder for kopia workspaces"),
          new Option(
              "resync-period",
              "KOPIA_OPERATOR_RESYNC_PERIOD",
              "10m",
              "how often every Repository is re-checked"),
          new Option(
              "server-resources",
              "KOPIA_OPERATOR_SERVER_RESOURCES",
              "requests.cpu=100m,requests.memory=256Mi,limits.memory=1Gi",
              "resources of each Kopia server container, as requests.X=Q,limits.X=Q"),
          new Option(
              "filesystem-roots",
              "KOPIA_OPERATOR_FILESYSTEM_ROOTS",
              OperatorOptions.DEFAULT_FILESYSTEM_ROOT,
              "comma-separated directories under which filesystem repositories may live (mounted volumes)"),
          new Option(
              "service-account",
              "POD_SERVICE_ACCOUNT",
              "kopia-operator",
              "the operator's own ServiceAccount; global mode issues the shared access credential from it"),
          new Option(
              "webhook",
              "KOPIA_OPERATOR_WEBHOOK",
              "true",
              "serve the validating admission webhook"),
          new Option(
              "webhook-bind-address",
              "KOPIA_OPERATOR_WEBHOOK_BIND_ADDRESS",
              "0.0.0.0",
              "address the admission webhook listens on"),
          new Option(
              "webhook-port",
              "KOPIA_OPERATOR_WEBHOOK_PORT",
              "9443",
              "HTTPS port of the admission webhook"),
          new Option(
              "webhook-cert-dir",
              "KOPIA_OPERATOR_WEBHOOK_CERT_DIR",
              "/etc/kopia-operator/webhook-tls",
              "folder with the webhook's tls.crt and tls.key (a mounted Secret)"),
          new Option(
              "global-location-secret",
              "KOPIA_OPERATOR_GLOBAL_LOCATION_SECRET",
              "repository-global",
              "global mode: location Secret of repository-global"),
          new Option(
              "global-admin-secret",
              "KOPIA_OPERATOR_GLOBAL_ADMIN_SECRET",
              "",
              "global mode: admin Secret of repository-global (empty: generated)"),
          new Option(
              "global-tls-secret",
              "KOPIA_OPERATOR_GLOBAL_TLS_SECRET",
              "",
              "global mode: TLS Secret of repository-global (empty: issued by the operator)"),
          new Option(
              "global-access-secrets",
              "KOPIA_OPERATOR_GLOBAL_ACCESS_SECRETS",
              "",
              "global mode: comma-separated access Secrets of repository-global"),
          new Option(
              "maintenance-timeout",
              "KOPIA_OPERATOR_MAINTENANCE_TIMEOUT",
              "6h",
              "longest one Kopia maintenance run may take (other kopia commands: 5m)"),
          new Option(
              "maintenance-workers",
              "KOPIA_OPERATOR_MAINTENANCE_WORKERS",
              "1",
              "how many repositories run maintenance at once"),
          new Option(
              "maintenance-safety",
              "KOPIA_OPERATOR_MAINTENANCE_SAFETY",
              "full",
              "full | none. TESTS ONLY: none drops Kopia's safety margins and can lose data"),
          new Option(
              "leader-lease-duration",
              "KOPIA_OPERATOR_LEADER_LEASE_DURATION",
              "15s",
              "how long a silent leader keeps the Lease; must exceed the renew deadline by 2s"),
          new Option(
              "leader-renew-deadline",
              "KOPIA_OPERATOR_LEADER_RENEW_DEADLINE",
              "10s",
              "a leader with no renewal accepted for this long kills its kopia and exits"),
          new Option(
              "leader-retry-period",
              "KOPIA_OPERATOR_LEADER_RETRY_PERIOD",
              "2s",
              "how often the Lease is renewed or tried"),
          new Option(
              "pass-deadline",
              "KOPIA_OPERATOR_PASS_DEADLINE",
              "10m",
              "longest one reconcile pass may run; then it is cancelled and retried with backoff"),
          new Option(
              "kopia-concurrency",
              "KOPIA_OPERATOR_KOPIA_CONCURRENCY",
              "16",
              "kopia processes at once over all Repositories (first come, first served)"),
          new Option(
              "kopia-per-repository",
              "KOPIA_OPERATOR_KOPIA_PER_REPOSITORY",
              "8",
              "kopia processes at once for one Repository"),
          new Option(
              "hung-server-patience",
              "KOPIA_OPERATOR_HUNG_SERVER_PATIENCE",
              "3m",
              "a server whose control API stays silent this long while its pod runs is restarted"),
          new Option(
              "server-address-override",
              "KOPIA_OPERATOR_SERVER_ADDRESS_OVERRIDES",
              "",
              "host=host:port[,...]; reach servers there instead of through cluster DNS"));

  private OperatorOptionsParser() {}

  public static OperatorOptions parse(List<String> args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument '" + arg + "'; flags start with --");
      }
      int eq = arg.indexOf('=');
      String name = eq >= 0 ? arg.substring(2, eq) : arg.substring(2);
      if (OPTIONS.stream().noneMatch(o -> o.flag().equals(name))) {
        throw new IllegalArgumentException("unknown flag --" + name + "; see --help");
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      values.put(name, value);
    }
    Map<String, String> resolved = new HashMap<>();
    for (Option option : OPTIONS) {
      String value = values.get(option.flag());
      if (value == null) {
        value = env.getOrDefault(option.env(), option.defaultValue());
      }
      resolved.put(option.flag(), value);
    }
    return new OperatorOptions(
        nonBlank(resolved, "operator-namespace"),
        scope(resolved.get("repository-scope")),
        kopiaBinary(resolved.get("kopia-binary"), env),
        nonBlank(resolved, "kopia-image"),
        port(resolved, "server-port"),
        bool(resolved, "leader-elect"),
        nonBlank(resolved, "lease-name"),
        nonBlank(resolved, "health-bind-address"),
        port(resolved, "health-port"),
        positive(resolved, "workers"),
        Path.of(nonBlank(resolved, "work-dir")),
        duration(resolved, "resync-period"),
        overrides(resolved.get("server-address-override")),
        new OperatorOptions.Webhook(
            bool(resolved, "webhook"),
            nonBlank(resolved, "webhook-bind-address"),
            port(resolved, "webhook-port"),
            Path.of(nonBlank(resolved, "webhook-cert-dir"))),
        new OperatorOptions.GlobalRepository(
            nonBlank(resolved, "global-location-secret"),
            resolved.get("global-admin-secret").strip(),
            resolved.get("global-tls-secret").strip(),
            list(resolved.get("global-access-secrets"))),
        nonBlank(resolved, "service-account"),
        resources(resolved.get("server-resources")),
        filesystemRoots(resolved.get("filesystem-roots")),
        new MaintenanceOptions(
            duration(resolved, "maintenance-timeout"),
            safety(resolved.get("maintenance-safety")),
            positive(resolved, "maintenance-workers"),
            MaintenanceOptions.DEFAULT_LEASE_DURATION),
        new ReliabilityOptions(
            duration(resolved, "leader-lease-duration"),
            duration(resolved, "leader-renew-deadline"),
            duration(resolved, "leader-retry-period"),
            duration(resolved, "pass-deadline"),
            positive(resolved, "kopia-concurrency"),
            positive(resolved, "kopia-per-repository"),
            duration(resolved, "hung-server-patience")));
  }

  private static MaintenanceCommands.Safety safety(String value) {
    return switch (value.strip()) {
      case "full" -> MaintenanceCommands.Safety.FULL;
      case "none" -> MaintenanceCommands.Safety.NONE;
      default ->
          throw new IllegalArgumentException(
              "--maintenance-safety must be 'full' or 'none' (tests only), got '" + value + "'");
    };
  }

  private static FilesystemRoots filesystemRoots(String value) {
    try {
      return FilesystemRoots.of(list(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--filesystem-roots: " + e.getMessage(), e);
    }
  }

  static String usage() {
    StringBuilder out =
        new StringBuilder("Flags (each also read from its environment variable):\n");
    for (Option o : OPTIONS) {
      out.append(
          String.format(
              "  --%-24s %s (env %s, default '%s')%n",
              o.flag(), o.help(), o.env(), o.defaultValue()));
    }
    return out.toString();
  }

  private static ResourceRequirements resources(String value) {
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
    for (String entry : list(value)) {
      String[] parts = entry.split("=", 2);
      String[] path = parts[0].split("\\.", 2);
      if (parts.length != 2
          || path.length != 2
          || !(path[0].equals("requests") || path[0].equals("limits"))
          || !parts[1].matches("[0-9]+(\\.[0-9]+)?([a-zA-Z]{1,2})?")) {
        throw new IllegalArgumentException(
            "--server-resources entries must look like requests.cpu=100m or limits.memory=1Gi, got '"
                + entry
                + "'");
      }
      if (path[0].equals("requests")) {
        builder.addToRequests(path[1], new Quantity(parts[1]));
      } else {
        builder.addToLimits(path[1], new Quantity(parts[1]));
      }
    }
    return builder.build();
  }

  private static List<String> list(String value) {
    return value == null || value.isBlank()
        ? List.of()
        : java.util.Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(v -> !v.isEmpty())
            .toList();
  }

  private static RepositoryScope scope(String value) {
    return RepositoryScope.fromValue(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--repository-scope must be 'namespace' or 'global', got '" + value + "'"));
  }

  private static String nonBlank(Map<String, String> values, String flag) {
    String value = values.get(flag);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + flag + " must not be empty");
    }
    return value.strip();
  }

  private static int port(Map<String, String> values, String flag) {
    int port = integer(values, flag);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "--" + flag + " must be a port between 1 and 65535, got " + port);
    }
    return port;
  }

  private static int positive(Map<String, String> values, String flag) {
    int n = integer(values, flag);
    if (n < 1) {
      throw new IllegalArgumentException("--" + flag + " must be at least 1, got " + n);
    }
    return n;
  }

  private static int integer(Map<String, String> values, String flag) {
    String value = nonBlank(values, flag);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + flag + " must be a whole number, got '" + value + "'");
    }
  }

  private static boolean bool(Map<String, String> values, String flag) {
    String value = nonBlank(values, flag);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(
          "--" + flag + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  private static Duration duration(Map<String, String> values, String flag) {
    String value = nonBlank(values, flag);
    return io.kanister.kopia.core.duration.GoDuration.tryParse(value)
        .filter(d -> !d.isZero())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--"
                        + flag
                        + " must be a positive duration such as 30s, 10m, 1h or 1h30m, got '"
                        + value
                        + "'"));
  }

  private static Path kopiaBinary(String value, Map<String, String> env) {
    if (value.contains("/")) {
      return Path.of(value);
    }
    for (String dir : env.getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, value);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return Path.of(value); // checked at start-up, with a message saying how to fix it
  }

  private static Map<String, String> overrides(String value) {
    Map<String, String> map = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return map;
    }
    for (String pair : value.split(",")) {
      String[] parts = pair.strip().split("=", 2);
      if (parts.length != 2 || parts[0].isBlank() || !parts[1].matches("[^:]+:\\d+")) {
        throw new IllegalArgumentException(
            "--server-address-override entries must look like host=host:port, got '"
                + pair.strip()
                + "'");
      }
      map.put(parts[0], parts[1]);
    }
    return map;
  }
}
