package io.kanister.kopia.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * kopia-core is embedded by other Kanister components: no Kubernetes (the enforcer bans fabric8 as
 * a dependency), nothing of the operator, and packages without cycles.
 */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kanister.kopia.core");

  @Test
  void dependsOnNoKubernetesAndNoOperatorType() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8..",
            "io.kanister.controller..",
            "io.kanister.kopia.model..",
            "io.kanister.kopia.operator..")
        .check(CORE);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.kanister.kopia.core.(*)..").should().beFreeOfCycles().check(CORE);
  }
}
