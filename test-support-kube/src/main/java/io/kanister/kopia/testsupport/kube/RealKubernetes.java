package io.kanister.kopia.testsupport.kube;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test a real API server: parameters of type {@link LocalControlPlane} (shared by the whole
 * test JVM) and {@link TestNamespace} (a fresh namespace per test).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealKubernetesExtension.class)
public @interface RealKubernetes {}
