package io.cdisync.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
    @Test
    void redactsPasswordParametersAndUserInfo() {
        assertThat(JdbcUrls.redact("jdbc:postgresql://db:5432/w?user=cdi&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/w?user=cdi&password=****&ssl=true");
        assertThat(JdbcUrls.redact("jdbc:postgresql://cdi:s3cret@db:5432/w")).isEqualTo("jdbc:postgresql://cdi:****@db:5432/w");
        assertThat(JdbcUrls.redact("jdbc:redshift://h:5439/dev;UID=cdi;PWD=s3cret;ssl=false"))
                .isEqualTo("jdbc:redshift://h:5439/dev;UID=cdi;PWD=****;ssl=false");
        assertThat(JdbcUrls.redact("jdbc:snowflake://acct.snowflakecomputing.com/?private_key_file_pwd=s3cret&token=abc.def"))
                .doesNotContain("s3cret").doesNotContain("abc.def");
        assertThat(JdbcUrls.redact("jdbc:databricks://h:443/default;AuthMech=3;UID=token;PWD=dapi123"))
                .doesNotContain("dapi123");
        assertThat(JdbcUrls.redact("No suitable driver found for jdbc:x://a:b@h/d?Password='p w'"))
                .isEqualTo("No suitable driver found for jdbc:x://a:****@h/d?Password=****");
    }

    @Test
    void leavesTextWithoutSecretsAlone() {
        String text = "FATAL: password authentication failed for user \"cdi\"";
        assertThat(JdbcUrls.redact(text)).isEqualTo(text);
        assertThat(JdbcUrls.redact("jdbc:postgresql://db:5432/w?ssl=true")).isEqualTo("jdbc:postgresql://db:5432/w?ssl=true");
        assertThat(JdbcUrls.redact(null)).isNull();
    }

    @Test
    void targetIsHostAndPortOrTheRedactedLocation() {
        assertThat(JdbcUrls.target("jdbc:postgresql://db.example.com:5432/w?password=x")).isEqualTo("db.example.com:5432");
        assertThat(JdbcUrls.target("jdbc:postgresql://cdi:pw@db:6543/w")).isEqualTo("db:6543");
        assertThat(JdbcUrls.target("jdbc:redshift://cluster.redshift.amazonaws.com/dev")).isEqualTo("cluster.redshift.amazonaws.com");
        assertThat(JdbcUrls.target("jdbc:postgresql://[::1]:5432/w")).isEqualTo("[::1]:5432");
        assertThat(JdbcUrls.target("jdbc:duckdb:/data/w.duckdb?password=x")).isEqualTo("jdbc:duckdb:/data/w.duckdb");
    }
}
