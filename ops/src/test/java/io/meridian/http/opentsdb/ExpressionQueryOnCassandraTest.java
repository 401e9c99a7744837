package io.meridian.http.opentsdb;

import io.meridian.http.testing.NodeUnderTest;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.CassandraNode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ExpressionQueryTest} against a node persisting to the real Cassandra. */
@ExtendWith(CassandraExtension.class)
class ExpressionQueryOnCassandraTest extends ExpressionQueryTest {

  @Override
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return CassandraNode.start(name, extraConfig);
  }
}
