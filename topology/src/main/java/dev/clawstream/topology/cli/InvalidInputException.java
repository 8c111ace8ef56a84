package dev.clawstream.topology.cli;

/**
 * The user's input (a WPC, a token file) is invalid and its errors have been printed already; the
 * command ends with exit code 2 so scripts can tell bad input (2) from broken infrastructure (1).
 */
final class InvalidInputException extends RuntimeException {

    static final int EXIT_CODE = 2;

    InvalidInputException(String summary) {
        super(summary);
    }
}
