package dev.drover;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point down: cli → engine → modules/module → connection; output only through listeners. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.drover");
    }

    @Test
    void nothingDependsOnTheResidentDrover() {
        noClasses().that().resideOutsideOfPackage("dev.drover.daemon..")
                .should().dependOnClassesThat().resideInAPackage("dev.drover.daemon..").check(classes);
    }

    @Test
    void nothingBelowTheCliDependsOnIt() {
        noClasses().that().resideOutsideOfPackages("dev.drover.cli..", "dev.drover.daemon..")
                .should().dependOnClassesThat().resideInAPackage("dev.drover.cli..").check(classes);
    }

    @Test
    void theEngineAndWhatItUsesNeverDependOnReports() {
        noClasses().that().resideOutsideOfPackages("dev.drover.report..", "dev.drover.cli..", "dev.drover.daemon..")
                .should().dependOnClassesThat().resideInAPackage("dev.drover.report..").check(classes);
    }

    @Test
    void connectionsKnowNothingOfModulesPlaybooksOrTheEngine() {
        noClasses().that().resideInAPackage("dev.drover.connection..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.drover.module..", "dev.drover.modules..",
                        "dev.drover.engine..", "dev.drover.playbook..", "dev.drover.template..", "dev.drover.inventory..")
                .check(classes);
    }

    @Test
    void modulesNeverReachIntoTheEngine() {
        noClasses().that().resideInAnyPackage("dev.drover.module..", "dev.drover.modules..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.drover.engine..", "dev.drover.playbook..")
                .check(classes);
    }

    @Test
    void theModuleSpiDoesNotKnowTheBuiltInModules() {
        noClasses().that().resideInAPackage("dev.drover.module")
                .should().dependOnClassesThat().resideInAPackage("dev.drover.modules..").check(classes);
    }

    @Test
    void playbookInventoryAndTemplatesAreFreeOfExecution() {
        noClasses().that().resideInAnyPackage("dev.drover.playbook..", "dev.drover.inventory..", "dev.drover.template..",
                        "dev.drover.yaml..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.drover.engine..", "dev.drover.connection..",
                        "dev.drover.modules..")
                .check(classes);
    }

    @Test
    void onlyTheCliAndReportsPrint() {
        noClasses().that().resideOutsideOfPackages("dev.drover.cli..", "dev.drover.report..", "dev.drover.daemon..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(classes);
    }

    @Test
    void onlyTheCliRecordsRunsInTheJournal() {
        noClasses().that().resideOutsideOfPackages("dev.drover.journal..", "dev.drover.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.drover.journal..").check(classes);
    }

    @Test
    void plansAreDataForTheCliAndTheirWriter() {
        noClasses().that().resideOutsideOfPackages("dev.drover.plan..", "dev.drover.cli..", "dev.drover.report..")
                .should().dependOnClassesThat().resideInAPackage("dev.drover.plan..").check(classes);
        noClasses().that().resideInAPackage("dev.drover.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.drover.cli..", "dev.drover.engine..",
                        "dev.drover.report..", "dev.drover.journal..", "dev.drover.connection..")
                .check(classes);
    }

    @Test
    void gitKnowsNothingElseOfDrover() {
        noClasses().that().resideInAPackage("dev.drover.git..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.drover.cli..", "dev.drover.engine..",
                        "dev.drover.journal..", "dev.drover.report..", "dev.drover.playbook..", "dev.drover.modules..",
                        "dev.drover.connection..")
                .check(classes);
    }

    @Test
    void configurationDependsOnNothingElseOfDrover() {
        noClasses().that().resideInAPackage("dev.drover.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.drover.cli..", "dev.drover.engine..",
                        "dev.drover.report..", "dev.drover.playbook..", "dev.drover.inventory..", "dev.drover.template..",
                        "dev.drover.module..", "dev.drover.modules..", "dev.drover.connection..", "dev.drover.yaml..",
                        "dev.drover.vault..")
                .check(classes);
    }
}
