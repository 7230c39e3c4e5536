package dev.drover.engine;

/** How the engine asks the person running drover (vars_prompt, pause): the CLI's terminal. */
public interface VarsPrompter {
    /**
     * Shows {@code prompt} and reads one line; without echo when {@code hidden}. Returns null
     * when nobody can answer (no terminal, end of input).
     */
    String ask(String prompt, boolean hidden);

    /** True when a person can answer (a terminal is attached). */
    boolean interactive();
}
