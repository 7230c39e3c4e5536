package dev.drover.journal;

/** The journal could not be opened, read or written; the message names the file. */
public final class JournalException extends Exception {
    public JournalException(String message) {
        super(message);
    }
}
