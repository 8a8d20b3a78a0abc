package io.kanister.kopia.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link S3Bucket} and {@link S3TestServer} parameters; see {@link RealS3}. */
public final class RealS3Extension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RealS3Extension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == S3Bucket.class || type == S3TestServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    S3TestServer server =
        context
            .getRoot()
            .getStore(NS)
            .getOrComputeIfAbsent("server", key -> S3TestServer.start(), S3TestServer.class);
    return parameter.getParameter().getType() == S3TestServer.class ? server : server.newBucket();
  }
}
