package dev.drover.module;

/** The types a module parameter can declare; {@link Args} coerces values to them as Ansible does. */
public enum ParamType {
    /** Any scalar, read as text. */
    STR,
    /** yes/no/true/false/on/off/1/0, any case. */
    BOOL,
    INT,
    /** A list; a comma-separated string is split, as Ansible does. */
    LIST,
    DICT,
    /** A path on the host (text, ~ not expanded on the controller). */
    PATH,
    /** A file mode: an int (its value is the mode), an octal string, or a symbolic mode. */
    MODE,
    /** Passed through as the YAML gave it (after templating). */
    RAW
}
