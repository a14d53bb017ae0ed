package org.wikimedia.spiderpig.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of the code, checked on every build. Each rule says in its {@code because} what it
 * protects; docs/architecture.md draws the same layers.
 */
class ArchitectureTest {

    private static final String APP = "org.wikimedia.spiderpig";
    private static final String DRIVER = "org.wikimedia.r2dbc";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(APP, DRIVER);

    @Test
    void theDriverKnowsNothingOfTheApplication() {
        noClasses().that().resideInAPackage(DRIVER + "..")
                .should().dependOnClassesThat().resideInAPackage(APP + "..")
                .because("the SQLite driver is a library of its own, held to the R2DBC SPI TCK, and must stay usable"
                        + " (and publishable) without SpiderPig")
                .check(CLASSES);
    }

    @Test
    void theApplicationReachesTheDriverOnlyThroughR2dbc() {
        noClasses().that().resideInAPackage(APP + "..")
                .should().dependOnClassesThat().resideInAPackage(DRIVER + "..")
                .because("the application chooses its database by R2DBC URL alone, so PostgreSQL (or another"
                        + " SQLite driver) can replace this one without touching application code")
                .check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(APP + ".(**)")
                .should().beFreeOfCycles()
                .because("a cycle makes two packages one: neither can be understood, tested or replaced alone")
                .check(CLASSES);
    }

    @Test
    void dependenciesPointDownTheLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                // startup checks every setting against what each layer accepts, so it sits beside the application.
                .layer("Application").definedBy(APP, APP + ".startup..")
                .layer("Client").definedBy(APP + ".cli..")
                .layer("Web").definedBy(APP + ".web..")
                .layer("Jobs").definedBy(APP + ".job..", APP + ".interaction..", APP + ".maintenance..")
                .layer("Capabilities").definedBy(APP + ".runner..", APP + ".simulator..", APP + ".eventlog..",
                        APP + ".masking..", APP + ".store..", APP + ".security..",
                        // Meters and health checks are capabilities that jobs and web report into (metrics), or
                        // that look at other capabilities (health: the runner, the data directory).
                        APP + ".metrics..", APP + ".health..", APP + ".gerrit..", APP + ".train..")
                // A job's supervisor runs in a JVM of its own beside no Spring: it builds on the JDK alone.
                .layer("Supervisor").definedBy(APP + ".supervisor..")
                .layer("Vocabulary").definedBy(APP + ".model..", APP + ".problem..", APP + ".config..")
                .whereLayer("Client").mayOnlyBeAccessedByLayers("Application")
                .whereLayer("Web").mayOnlyBeAccessedByLayers("Application")
                .whereLayer("Jobs").mayOnlyBeAccessedByLayers("Web", "Application")
                .whereLayer("Capabilities").mayOnlyBeAccessedByLayers("Jobs", "Web", "Application")
                .whereLayer("Supervisor").mayOnlyBeAccessedByLayers("Capabilities", "Application")
                .because("arrows point down: the vocabulary (model, problem, config) is the ground floor every layer"
                        + " shares, capabilities (running processes, logs, masking, stores, users) build on it, jobs"
                        + " orchestrate capabilities, and only the web layer and the application sit above jobs;"
                        + " the command-line client stands beside them all, reached only from the jar's main class")
                .check(CLASSES);
    }

    @Test
    void theClientKnowsTheServerOnlyThroughItsApi() {
        noClasses().that().resideInAPackage(APP + ".cli..")
                .should().dependOnClassesThat().resideOutsideOfPackages(APP + ".cli..", APP + ".model..", "java..",
                        "javax.net.ssl..", "picocli..", "tools.jackson..", "com.fasterxml.jackson.annotation..")
                .because("the command-line client is a client of the HTTP API like a browser or curl: it shares only"
                        + " the vocabulary (model), so it starts without Spring in well under a second and keeps"
                        + " working against any server that speaks the documented API")
                .check(CLASSES);
    }

    @Test
    void theSupervisorNeedsOnlyTheJdk() {
        noClasses().that().resideInAPackage(APP + ".supervisor..")
                .should().dependOnClassesThat().resideOutsideOfPackages(APP + ".supervisor..", "java..")
                .because("a job's supervisor is a JVM of its own for every running job, outliving the server: it must"
                        + " start in a fraction of a second in a few MiB, so it loads no framework and no logging,"
                        + " only the JDK")
                .check(CLASSES);
    }

    @Test
    void theVocabularyDependsOnNothingOfTheApplication() {
        noClasses().that().resideInAPackage(APP + ".model..")
                .should().dependOnClassesThat().resideOutsideOfPackages(APP + ".model..", "java..",
                        "com.fasterxml.jackson.annotation..", "tools.jackson..")
                .because("the records every layer shares (jobs, states, prompts, progress, events and their JSON)"
                        + " must mean the same everywhere, so they may not lean on any layer, framework or store")
                .check(CLASSES);
    }

    @Test
    void onlyTheWebLayerKnowsHttpRequests() {
        noClasses().that().resideOutsideOfPackage(APP + ".web..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.web.reactive.function", "org.springframework.web.reactive.function.server..",
                        "org.springframework.http.server..", "org.springframework.http.codec..")
                .because("requests and responses are translated at one edge (web); jobs, prompts and logs must stay"
                        + " callable from the CLI, tests and other transports without HTTP")
                .check(CLASSES);
    }

    @Test
    void onlyClientsOfOtherServicesMakeHttpRequests() {
        noClasses().that().resideInAPackage(APP + "..").and().resideOutsideOfPackages(APP + ".gerrit..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web.reactive.function.client..",
                        "reactor.netty.http.client..")
                .because("the services SpiderPig asks (Gerrit, the train-blockers API) have one client package that owns their timeouts and"
                        + " turn their failures into problems")
                .check(CLASSES);
    }

    @Test
    void onlyStoreImplementationsTouchR2dbc() {
        noClasses().that().resideInAPackage(APP + "..").and().resideOutsideOfPackage(APP + ".store.r2dbc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.r2dbc..", "org.springframework.r2dbc..",
                        "org.springframework.data.r2dbc..")
                .because("records live behind the small store interfaces, so that another database (PostgreSQL for"
                        + " several instances) is a new implementation, not a rewrite")
                .check(CLASSES);
    }
}
