package io.modelgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * Secrets the local stack keeps in its data directory (keys, the webhook secret): files readable by their owner only
 * from the moment they exist, never briefly with the umask's permissions.
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** Writes {@code content} to {@code file}, creating it owner-only if it does not exist. */
    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** The stripped content of {@code file}; made with {@code create} (and kept) on first use. */
    public static String readOrCreate(Path file, Supplier<String> create) {
        try {
            if (!Files.exists(file)) {
                write(file, create.get());
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }
}
