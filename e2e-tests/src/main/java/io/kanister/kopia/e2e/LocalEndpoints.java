package io.kanister.kopia.e2e;

import io.kanister.kopia.operator.server.ServerEndpointResolver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service host names mapped to the loopback ports where {@link LocalKubelet} runs their servers;
 * the operator dials through it instead of cluster DNS, which does not exist here.
 */
public final class LocalEndpoints implements ServerEndpointResolver {
  private final Map<String, String> addresses = new ConcurrentHashMap<>();

  void put(String serviceHost, String address) {
    addresses.put(serviceHost, address);
  }

  void remove(String serviceHost) {
    addresses.remove(serviceHost);
  }

  @Override
  public String resolve(String serviceHost, int port) {
    return addresses.getOrDefault(serviceHost, serviceHost + ":" + port);
  }
}
