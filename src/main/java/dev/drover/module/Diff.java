package dev.drover.module;

/** Before and after text of one thing a plan changes (file content, attributes, state). */
public record Diff(String beforeHeader, String afterHeader, String before, String after) {
}
