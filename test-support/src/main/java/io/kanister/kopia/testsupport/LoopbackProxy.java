package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a loopback service (API server, s3proxy), for faults: {@link
 * #stall()} keeps every connection open but moves no byte (a dark network: calls hang rather than
 * fail), {@link #delay(Duration)} holds each chunk for a while (slow storage), {@link #severAll()}
 * cuts every connection. TLS passes through untouched.
 */
public final class LoopbackProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;
  private volatile long delayMillis;
  private final AtomicInteger accepted = new AtomicInteger();

  public LoopbackProxy(InetSocketAddress target) throws IOException {
    if (!target.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("tests relay to loopback only, not " + target);
    }
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    var acceptor = new Thread(this::accept, "loopback-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** How many connections were relayed so far: a client that reconnects shows here. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Moves no more bytes, on open and on new connections, until {@link #resume()}. */
  public void stall() {
    stalled = true;
  }

  /** Holds every chunk relayed (either way) for {@code delay} before passing it on. */
  public void delay(Duration delay) {
    delayMillis = delay.toMillis();
  }

  /** Back to a plain relay. */
  public void resume() {
    delayMillis = 0;
    stalled = false;
  }

  public void severAll() {
    for (var socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    severAll();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        var client = listener.accept();
        var server = new Socket(target.getAddress(), target.getPort());
        accepted.incrementAndGet();
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        // listener closed, or the target refused: the client sees its connection closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    var thread =
        new Thread(
            () -> {
              var buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  holdWhileFaulty();
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException e) {
                // the other direction or severAll closed the connection
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "loopback-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void holdWhileFaulty() throws InterruptedException {
    while (stalled && !listener.isClosed()) {
      Thread.sleep(20);
    }
    long delay = delayMillis;
    if (delay > 0) {
      Thread.sleep(delay);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
