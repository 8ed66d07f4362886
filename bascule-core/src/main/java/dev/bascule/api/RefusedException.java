package dev.bascule.api;

/** A safety gate or lint rule refused the command. Nothing was changed. */
public class RefusedException extends BasculeException {
    public RefusedException(String message) { super(message); }

    @Override
    public int exitCode() { return 3; }
}
