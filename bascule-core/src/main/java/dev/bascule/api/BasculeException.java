package dev.bascule.api;

/** Base of Bascule's failures. {@link #exitCode()} is the CLI's exit code for it. */
public class BasculeException extends RuntimeException {
    public BasculeException(String message) { super(message); }
    public BasculeException(String message, Throwable cause) { super(message, cause); }

    /** 1: database or runtime failure; state is left consistent and the message says how to go on. */
    public int exitCode() { return 1; }
}
