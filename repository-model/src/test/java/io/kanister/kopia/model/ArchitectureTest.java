package io.kanister.kopia.model;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The model is types and pure functions (Strimzi's {@code model/}): it may use kopia-core and
 * fabric8's API types, never the runtime, the operator or a client that talks to a server. The
 * Maven enforcer bans those artifacts; this test keeps the packages in order.
 */
class ArchitectureTest {
  private static final JavaClasses MODEL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kanister.kopia.model");

  @Test
  void dependsOnKopiaCoreAndFabric8TypesOnly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kanister.controller..",
            "io.kanister.kopia.operator..",
            "io.fabric8.kubernetes.client.dsl..",
            "io.fabric8.kubernetes.client.informers..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
        .check(MODEL);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.kanister.kopia.model.(*)..").should().beFreeOfCycles().check(MODEL);
  }

  @Test
  void theRootPackageDoesNotDependOnSubpackages() {
    // The root holds shared names (labels, scope); subpackages may use them, never the reverse.
    noClasses()
        .that()
        .resideInAPackage("io.kanister.kopia.model")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.kanister.kopia.model..")
                .and(resideOutsideOfPackage("io.kanister.kopia.model")))
        .check(MODEL);
  }
}
