package io.kanister.kopia.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test an {@link S3Bucket}: a fresh bucket on a real S3 server (s3proxy over a temp folder)
 * listening on loopback inside the test JVM. The server starts once per JVM.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealS3Extension.class)
public @interface RealS3 {}
