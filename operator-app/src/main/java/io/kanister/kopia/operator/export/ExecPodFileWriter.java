package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a file into a container with one exec of {@code sh}: the content arrives on stdin and is
 * read with {@code head -c <length>} (so the write ends without relying on stdin being closed),
 * into a temporary file created under {@code umask 077}, then moved over the target. The command
 * line holds only the path and the length.
 */
public final class ExecPodFileWriter implements PodFileWriter {
  /** {@code $1} is the target path, {@code $2} the byte count; both are data, never code. */
  static final String SCRIPT =
      "umask 077 && mkdir -p \"$(dirname \"$1\")\" && head -c \"$2\" > \"$1.tmp\""
          + " && chmod 600 \"$1.tmp\" && mv -f \"$1.tmp\" \"$1\"";

  static final String SCRIPT_NAME = "kopia-export";

  private final KubernetesClient client;
  private final Duration timeout;

  public ExecPodFileWriter(KubernetesClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** The exec command for writing {@code length} bytes to {@code path}. */
  static List<String> command(String path, int length) {
    return List.of("sh", "-c", SCRIPT, SCRIPT_NAME, path, Integer.toString(length));
  }

  @Override
  public void write(PodTarget target, String path, byte[] content) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Integer exitCode;
    try (ExecWatch watch =
        client
            .pods()
            .inNamespace(target.namespace())
            .withName(target.pod())
            .inContainer(target.container())
            .redirectingInput()
            .writingOutput(stdout)
            .writingError(stderr)
            .exec(command(path, content.length).toArray(String[]::new))) {
      OutputStream stdin = watch.getInput();
      stdin.write(content);
      stdin.flush();
      exitCode = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (KubernetesClientException e) {
      // The client's message names the pod, container or HTTP status; the content is not in it.
      throw new ExportException("cannot exec in " + target + ": " + e.getMessage());
    } catch (IOException e) {
      throw new ExportException("cannot stream " + path + " to " + target + ": " + e);
    } catch (TimeoutException e) {
      throw new ExportException(
          "writing " + path + " in " + target + " did not finish within " + timeout);
    } catch (ExecutionException e) {
      throw new ExportException(
          "writing " + path + " in " + target + " failed: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExportException("interrupted while writing " + path + " in " + target);
    }
    if (exitCode == null) {
      throw new ExportException(
          "writing "
              + path
              + " in "
              + target
              + " ended without an exit status; the file may be"
              + " incomplete");
    }
    if (exitCode != 0) {
      // stderr of sh, mkdir, head, chmod or mv; none of them echoes stdin.
      throw new ExportException(
          "writing "
              + path
              + " in "
              + target
              + " exited "
              + exitCode
              + ": "
              + stderr.toString(StandardCharsets.UTF_8).strip());
    }
  }
}
