package io.kanister.kopia.operator.server;

import java.util.Map;

/**
 * Where the operator actually connects to reach a server's {@code host:port}. In a cluster that is
 * the Service DNS name itself; an operator running outside the cluster (a laptop, the tests) maps
 * it to a reachable address.
 */
@FunctionalInterface
public interface ServerEndpointResolver {
  /** Returns {@code host:port} to dial for the server known as {@code serviceHost:port}. */
  String resolve(String serviceHost, int port);

  static ServerEndpointResolver clusterDns() {
    return (host, port) -> host + ":" + port;
  }

  /** Fixed overrides by Service host name, falling back to cluster DNS. */
  static ServerEndpointResolver withOverrides(Map<String, String> overrides) {
    return (host, port) -> overrides.getOrDefault(host, host + ":" + port);
  }
}
