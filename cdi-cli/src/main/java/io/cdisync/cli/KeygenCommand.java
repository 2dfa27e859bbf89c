package io.cdisync.cli;

import io.cdisync.braze.Secret;
import io.cdisync.snowflake.SnowflakeKeyPair;
import io.cdisync.snowflake.SnowflakeKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * {@code cdi keygen --out DIR [--user NAME] [--passphrase-env VAR]}: a Snowflake key pair
 * ({@code rsa_key.p8}, owner-only, encrypted when a passphrase is given; {@code rsa_key.pub}) and the
 * {@code ALTER USER} statement that registers the public key.
 */
final class KeygenCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    KeygenCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(String[] args) {
        Path dir = null;
        String user = null;
        String passphraseVar = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--out" -> dir = value == null ? null : Path.of(value);
                case "--user" -> user = value;
                case "--passphrase-env" -> passphraseVar = value;
                default -> {
                    err.println("cdi keygen: unknown option '" + args[i] + "' (usage: cdi keygen --out DIR [--user NAME]"
                            + " [--passphrase-env VAR])");
                    return Main.USAGE;
                }
            }
            if (value == null) {
                err.println("cdi keygen: " + args[i] + " needs a value");
                return Main.USAGE;
            }
            i++;
        }
        if (dir == null) {
            err.println("cdi keygen: --out DIR is required");
            return Main.USAGE;
        }
        Secret passphrase = null;
        if (passphraseVar != null) {
            String value = env.get(passphraseVar);
            if (value == null || value.isEmpty()) {
                err.println("cdi keygen: environment variable " + passphraseVar + " is not set");
                return Main.USAGE;
            }
            passphrase = Secret.of(value);
        }
        SnowflakeKeyPair keys = passphrase == null ? SnowflakeKeys.generate() : SnowflakeKeys.generate(passphrase);
        Path privateKey = dir.resolve("rsa_key.p8");
        Path publicKey = dir.resolve("rsa_key.pub");
        try {
            Files.createDirectories(dir);
            writeOwnerOnly(privateKey, keys.privateKeyPem().reveal());
            Files.writeString(publicKey, keys.publicKeyPem(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            err.println("cdi keygen: " + e.getFile() + " already exists; choose another --out directory");
            return Main.USAGE;
        } catch (IOException e) {
            err.println("cdi keygen: cannot write the keys: " + e.getMessage());
            return Main.GLOBAL_FAILURE;
        }
        out.println("private key: " + privateKey + (keys.encrypted() ? " (encrypted)" : " (unencrypted: keep it secret)"));
        out.println("public key:  " + publicKey + " (fingerprint " + keys.fingerprint() + ")");
        out.println();
        out.println("Run this in Snowflake as a user administrator:");
        out.println(user == null ? "ALTER USER <user> SET RSA_PUBLIC_KEY='" + keys.publicKeyBase64() + "';"
                : keys.setPublicKeyStatement(user));
        out.println();
        out.println("To rotate later: register the new key with SET RSA_PUBLIC_KEY_2, switch cdi to it, then UNSET RSA_PUBLIC_KEY.");
        return Main.OK;
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
