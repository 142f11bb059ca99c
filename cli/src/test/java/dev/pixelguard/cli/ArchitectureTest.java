package dev.pixelguard.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout the build keeps (issue 27), checked on every pixelguard class this module's tests see, which is all of
 * them: no package cycles anywhere; a kernel (core) that depends on nothing above it; backends that reach each
 * other only through the ModelBackend SPI, with their engines' libraries inside them; and a Spark engine that never
 * reaches into the command line. Module dependencies are checked by the Maven enforcer as well.
 */
class ArchitectureTest {
  /**
   * Every pixelguard main class: from the modules' class folders (mvn test) or their jars (mvn verify, where the
   * reactor hands this module the other modules' jars), never a test folder or test jar.
   */
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
      .importPackages("dev.pixelguard");

  /** The kernel's packages: images, datasets, models and their SPI, the attack contract, image transforms. */
  private static final String[] KERNEL = {"dev.pixelguard", "dev.pixelguard.image..", "dev.pixelguard.model..",
      "dev.pixelguard.data..", "dev.pixelguard.attack", "dev.pixelguard.transform.."};

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    slices().matching("dev.pixelguard.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theKernelDependsOnNothingAboveIt() {
    noClasses().that().resideInAnyPackage(KERNEL).should().dependOnClassesThat().resideInAnyPackage(
        "dev.pixelguard.attack.(*)..", "dev.pixelguard.defence..", "dev.pixelguard.calibration..",
        "dev.pixelguard.eval..", "dev.pixelguard.audit..", "dev.pixelguard.io..", "dev.pixelguard.optim..",
        "dev.pixelguard.onnx..", "dev.pixelguard.djl..", "dev.pixelguard.remote..", "dev.pixelguard.serve..",
        "dev.pixelguard.protocol..", "dev.pixelguard.report..", "dev.pixelguard.verify..",
        "dev.pixelguard.spark..", "dev.pixelguard.cli..", "dev.pixelguard.certify..").check(MAIN);
  }

  @Test
  void backendsAreSiblings() {
    noClasses().that().resideInAPackage("dev.pixelguard.onnx..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.pixelguard.djl..", "dev.pixelguard.remote..").check(MAIN);
    noClasses().that().resideInAPackage("dev.pixelguard.djl..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.pixelguard.onnx..", "dev.pixelguard.remote..").check(MAIN);
    noClasses().that().resideInAPackage("dev.pixelguard.remote..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.pixelguard.onnx..", "dev.pixelguard.djl..").check(MAIN);
  }

  @Test
  void onnxRuntimeIsReachedOnlyThroughItsBackend() {
    noClasses().that().resideOutsideOfPackage("dev.pixelguard.onnx..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.pixelguard.onnx..", "ai.onnxruntime..").check(MAIN);
    noClasses().that().resideOutsideOfPackage("dev.pixelguard.djl..").should().dependOnClassesThat()
        .resideInAPackage("ai.djl..").check(MAIN);
  }

  @Test
  void theSparkEngineNeverReachesIntoTheCommandLine() {
    noClasses().that().resideInAPackage("dev.pixelguard.spark..").should().dependOnClassesThat()
        .resideInAPackage("dev.pixelguard.cli..").check(MAIN);
    noClasses().that().resideOutsideOfPackage("dev.pixelguard.spark..").should().dependOnClassesThat()
        .resideInAPackage("org.apache.spark..").check(MAIN);
  }
}
