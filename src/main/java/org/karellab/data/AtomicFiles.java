package org.karellab.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.karellab.world.KarelException;

/**
 * Write-to-temp-then-rename, so a reader never sees a half-written file or folder. Used by every
 * command that writes an artifact.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes a file or folder at the path it is given. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /**
     * Runs {@code writer} on a temporary sibling of {@code target} and renames it to
     * {@code target} when it succeeds; on failure the temporary is removed and {@code target}
     * is left as it was.
     */
    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        Path tmp = parent.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteTree(tmp);
            writer.write(tmp);
            move(tmp, abs);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new KarelException(target + ": cannot write: " + describe(e), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** An I/O failure in words: the JDK's messages are often just the path involved. */
    static String describe(IOException e) {
        String what = switch (e.getClass().getSimpleName()) {
            case "FileAlreadyExistsException" -> "a file is in the way";
            case "NoSuchFileException" -> "no such file or folder";
            case "AccessDeniedException" -> "permission denied";
            case "NotDirectoryException", "FileSystemException" -> "not a folder";
            case "DirectoryNotEmptyException" -> "folder not empty";
            default -> "I/O error";
        };
        return e.getMessage() == null ? what : what + " (" + e.getMessage() + ")";
    }

    /** Writes {@code text} to {@code target} atomically (UTF-8). */
    public static void writeString(Path target, String text) {
        write(target, tmp -> Files.writeString(tmp, text));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // best effort: the original failure is what the user needs to see
        }
    }
}
