package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link KopiaSandbox} parameters; see {@link RealKopia}. */
public final class RealKopiaExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RealKopiaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KopiaSandbox.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KopiaBinary binary =
        context
            .getRoot()
            .getStore(NS)
            .getOrComputeIfAbsent("binary", key -> KopiaBinary.locate(), KopiaBinary.class);
    TempFolder folder =
        context
            .getStore(NS)
            .getOrComputeIfAbsent(
                "sandbox", key -> TempFolder.create("kopia-test-"), TempFolder.class);
    return new KopiaSandbox(binary.path(), binary.version(), folder.path());
  }

  /** The located binary and the version it reports, resolved once per test JVM. */
  record KopiaBinary(Path path, String version) {
    static KopiaBinary locate() {
      Path path = ToolBinary.KOPIA.require();
      String version = readVersion(path);
      RealParts.announce("kopia", version + " at " + path);
      return new KopiaBinary(path, version);
    }

    private static String readVersion(Path path) {
      try {
        Process p =
            new ProcessBuilder(path.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse(out);
      } catch (IOException e) {
        throw RealParts.missing("kopia (not runnable: " + e.getMessage() + ")", "Reinstall it.");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A temp folder deleted when the owning JUnit context closes. */
  record TempFolder(Path path) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    static TempFolder create(String prefix) {
      try {
        return new TempFolder(Files.createTempDirectory(prefix));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws IOException {
      TempFolders.deleteRecursively(path);
    }
  }
}
