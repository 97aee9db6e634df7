package io.modelgate.modelsync.client;

import java.sql.SQLTimeoutException;
import java.time.Duration;

/**
 * How long calls to one target may block: a connect/login timeout, a socket timeout per statement and, on the event
 * path, a deadline that cuts both so that the whole event's target work ends in time.
 */
public record Budget(Duration connectTimeout, Duration socketTimeout, boolean bounded, long deadlineNanos) {

    /** No overall deadline: the reconcile cycle, which runs each target in its own transaction. */
    public static Budget unbounded(Duration connectTimeout, Duration socketTimeout) {
        return new Budget(connectTimeout, socketTimeout, false, 0);
    }

    /** Ends at {@code deadlineNanos} ({@link System#nanoTime()} clock): the event path. */
    public static Budget until(Duration connectTimeout, Duration socketTimeout, long deadlineNanos) {
        return new Budget(connectTimeout, socketTimeout, true, deadlineNanos);
    }

    /** Milliseconds left before the deadline (never negative); {@link Long#MAX_VALUE} without one. */
    public long remainingMillis() {
        return bounded ? Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000) : Long.MAX_VALUE;
    }

    /** The login timeout now, in milliseconds. */
    int loginMillis() throws SQLTimeoutException {
        return cut(connectTimeout.toMillis());
    }

    /** The socket timeout of the next statement, in milliseconds. */
    int statementMillis() throws SQLTimeoutException {
        return cut(socketTimeout.toMillis());
    }

    private int cut(long millis) throws SQLTimeoutException {
        long left = remainingMillis();
        if (left == 0) {
            throw new SQLTimeoutException("The event's time for target work is used up; deferred to reconcile");
        }
        return (int) Math.max(1, Math.min(Math.min(millis, left), Integer.MAX_VALUE));
    }
}
