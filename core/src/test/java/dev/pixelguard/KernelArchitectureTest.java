package dev.pixelguard;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The kernel's packages depend on each other without cycles (issue 27); the whole tree is checked in the cli. */
class KernelArchitectureTest {
  @Test
  void theKernelHasNoPackageCycles() {
    slices().matching("dev.pixelguard.(**)").should().beFreeOfCycles().check(new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("dev.pixelguard"));
  }
}
