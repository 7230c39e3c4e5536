package dev.drover.playbook;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/** "Did you mean …?" for a misspelt name, by Jaro-Winkler similarity. */
public final class Suggestions {
    private Suggestions() {
    }

    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();

    /** The most similar candidate, when it is similar enough to be a likely typo. */
    public static Optional<String> closest(String given, Collection<String> candidates) {
        return candidates.stream()
                .map(c -> new Object[] {c, SIMILARITY.apply(given.toLowerCase(), c.toLowerCase())})
                .filter(o -> (Double) o[1] >= 0.8)
                .max(Comparator.comparingDouble(o -> (Double) o[1]))
                .map(o -> (String) o[0]);
    }

    /**
     * Like {@link #didYouMean} but only for a near typo (at most two edits away): for messages
     * where the name may well be right and something else wrong ("file" is not a typo of
     * "failed_when").
     */
    public static String didYouMeanTypo(String given, Collection<String> candidates) {
        return closest(given, candidates)
                .filter(c -> org.apache.commons.text.similarity.LevenshteinDistance.getDefaultInstance()
                        .apply(given.toLowerCase(), c.toLowerCase()) <= 2)
                .map(c -> " Did you mean '" + c + "'?").orElse("");
    }

    /** {@code " Did you mean 'copy'?"}, or an empty string. */
    public static String didYouMean(String given, Collection<String> candidates) {
        return closest(given, candidates).map(c -> " Did you mean '" + c + "'?").orElse("");
    }
}
