package dev.drover.modules.facts;

/** Lets tests of other packages ask whether the ansible command runs here. */
public final class FactsParityTestAccess {
    private FactsParityTestAccess() {
    }

    public static boolean hasAnsible() {
        return FactsParityTest.hasAnsible();
    }
}
