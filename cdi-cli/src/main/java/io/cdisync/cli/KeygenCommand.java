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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdi keygen --out DIR [--user NAME] [--passphrase-env VAR]}: a Snowflake key pair
 * ({@code rsa_key.p8}, owner-only, encrypted when a passphrase is given; {@code rsa_key.pub}) and the
 * {@code ALTER USER} statement that registers the public key.
 */
@Command(name = "keygen", description = "Snowflake key pair + ALTER USER statement.")
final class KeygenCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory for rsa_key.p8 and rsa_key.pub (created; must not hold them yet).")
    Path dir;

    @Option(names = "--user", paramLabel = "NAME", description = "The Snowflake user the ALTER USER statement names.")
    String user;

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Encrypt the private key with the passphrase in this environment variable.")
    String passphraseVar;

    KeygenCommand(CliContext context) {
        this.out = context.out();
        this.err = context.err();
        this.env = context.env();
    }

    @Override
    public Integer call() {
        Secret passphrase = null;
        if (passphraseVar != null) {
            String value = env.get(passphraseVar);
            if (value == null || value.isEmpty()) {
                throw new UsageException("cdi keygen: environment variable " + passphraseVar + " is not set");
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
