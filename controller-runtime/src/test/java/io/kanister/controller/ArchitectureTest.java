package io.kanister.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime is generic, like Go's controller-runtime: no type, name or string of the Kopia
 * operator's domain, and no package cycles. The Maven enforcer bans the domain modules as
 * dependencies; this test catches what a dependency ban cannot see.
 */
class ArchitectureTest {
  private static final JavaClasses RUNTIME =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kanister.controller");

  /** Domain words; the Java package {@code io.kanister.controller} is the project's namespace. */
  private static final Pattern DOMAIN_WORD = Pattern.compile("(?i)kopia|kanister");

  @Test
  void dependsOnNothingOfTheDomain() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.kanister.kopia..")
        .check(RUNTIME);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.kanister.controller.(*)..").should().beFreeOfCycles().check(RUNTIME);
  }

  @Test
  void subpackagesDoNotDependOnTheRootPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kanister.controller")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.kanister.controller")
        .check(RUNTIME);
  }

  @Test
  void sourcesCarryNoDomainWords() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<String> hits =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .flatMap(ArchitectureTest::domainLines)
              .toList();
      assertThat(hits).as("Kopia or Kanister words in controller-runtime").isEmpty();
    }
  }

  private static Stream<String> domainLines(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.stream()
          .filter(l -> !l.startsWith("package ") && !l.startsWith("import "))
          .filter(l -> DOMAIN_WORD.matcher(l).find())
          .map(l -> file + ": " + l.strip());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
