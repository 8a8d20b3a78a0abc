package io.kanister.controller.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Serves {@code /healthz}, {@code /readyz} (200 or 503) and {@code /metrics} (Prometheus text) on
 * one port with the JDK's HTTP server, so the runtime needs no web framework.
 */
public final class HealthServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * @param port 0 picks a free port, see {@link #port()}
   * @param metrics renders the Prometheus text exposition, e.g. {@code
   *     PrometheusMeterRegistry::scrape}
   */
  public HealthServer(InetSocketAddress address, HealthProbe probe, Supplier<String> metrics) {
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + " for health and metrics", e);
    }
    executor = Executors.newFixedThreadPool(2, r -> daemon(r, "health-server"));
    server.setExecutor(executor);
    server.createContext("/healthz", e -> probe(e, probe::isLive));
    server.createContext("/readyz", e -> probe(e, probe::isReady));
    server.createContext("/metrics", e -> respond(e, 200, PROMETHEUS_TEXT, metrics.get()));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void probe(HttpExchange exchange, BooleanSupplier check) throws IOException {
    boolean ok = check.getAsBoolean();
    respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "not ok\n");
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      var bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    var thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
