package io.kanister.kopia.testsupport.kube;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the real single-node cluster: parameters of type {@link LocalCluster} (one per
 * test JVM, torn down when the JVM's tests end) and {@link TestNamespace} (one per test class, with
 * a LimitRange so that every pod in it has a memory limit).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealClusterExtension.class)
public @interface RealCluster {}
