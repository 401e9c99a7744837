package io.meridian.node.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotPartsTest {

  @Test
  void splitsIntoFullPartsAndARest() {
    assertThat(SnapshotParts.count(0, 10)).isZero();
    assertThat(SnapshotParts.count(1, 10)).isEqualTo(1);
    assertThat(SnapshotParts.count(10, 10)).isEqualTo(1);
    assertThat(SnapshotParts.count(11, 10)).isEqualTo(2);
    assertThat(SnapshotParts.count(Integer.MAX_VALUE, 1)).isEqualTo(Integer.MAX_VALUE);
    assertThat(SnapshotParts.count(Integer.MAX_VALUE, SnapshotParts.MAX_PART_SIZE)).isEqualTo(256);

    byte[] data = bytes(25, 1);
    assertThat(SnapshotParts.length(25, 10, 1)).isEqualTo(10);
    assertThat(SnapshotParts.length(25, 10, 3)).isEqualTo(5);
    ByteBuffer third = SnapshotParts.part(data, 10, 3);
    assertThat(third.remaining()).isEqualTo(5);
    assertThat(third.get(0)).isEqualTo(data[20]);
    assertThatThrownBy(() -> SnapshotParts.part(data, 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnapshotParts.part(data, 10, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void partsInAnyOrderAssembleToTheSnapshot() {
    byte[] data = bytes(1000, 2);
    SnapshotHeader header = header(data, 64);
    assertThat(header.parts()).isEqualTo(16);
    List<Integer> order = new ArrayList<>();
    for (int part = 1; part <= header.parts(); part++) {
      order.add(part);
    }
    Collections.shuffle(order, new Random(3));

    SnapshotParts.Assembly assembly = new SnapshotParts.Assembly(header);
    for (int part : order) {
      assembly.add(part, SnapshotParts.part(data, 64, part));
    }

    assertThat(assembly.finish()).isEqualTo(data);
  }

  @Test
  void anEmptySnapshotHasNoParts() {
    SnapshotHeader header = header(new byte[0], 64);
    assertThat(header.parts()).isZero();
    assertThat(new SnapshotParts.Assembly(header).finish()).isEmpty();
  }

  @Test
  void aMissingPartIsIncomplete() {
    byte[] data = bytes(100, 4);
    SnapshotParts.Assembly assembly = new SnapshotParts.Assembly(header(data, 30));
    assembly.add(1, SnapshotParts.part(data, 30, 1));
    assembly.add(2, SnapshotParts.part(data, 30, 2));
    assembly.add(4, SnapshotParts.part(data, 30, 4));

    assertThatThrownBy(assembly::finish)
        .isInstanceOf(IncompleteSnapshotException.class)
        .hasMessageContaining("lacks part 3 of 4");
  }

  @Test
  void partsThatDoNotMatchTheHeaderAreRefused() {
    byte[] data = bytes(100, 5);
    SnapshotParts.Assembly assembly = new SnapshotParts.Assembly(header(data, 30));

    assertThatThrownBy(() -> assembly.add(5, ByteBuffer.wrap(new byte[10])))
        .isInstanceOf(IncompleteSnapshotException.class)
        .hasMessageContaining("no part 5");
    assertThatThrownBy(() -> assembly.add(4, ByteBuffer.wrap(new byte[30])))
        .isInstanceOf(IncompleteSnapshotException.class)
        .hasMessageContaining("part 4 has 30 bytes, not 10");
    assertThatThrownBy(() -> assembly.add(1, null))
        .isInstanceOf(IncompleteSnapshotException.class)
        .hasMessageContaining("part 1 has 0 bytes, not 30");
    assembly.add(1, SnapshotParts.part(data, 30, 1));
    assertThatThrownBy(() -> assembly.add(1, SnapshotParts.part(data, 30, 1)))
        .isInstanceOf(IncompleteSnapshotException.class)
        .hasMessageContaining("came twice");
  }

  @Test
  void partsOfAnotherSaveFailTheChecksum() {
    byte[] data = bytes(100, 6);
    byte[] other = bytes(100, 7);
    SnapshotParts.Assembly assembly = new SnapshotParts.Assembly(header(data, 30));
    assembly.add(1, SnapshotParts.part(data, 30, 1));
    assembly.add(2, SnapshotParts.part(other, 30, 2));
    assembly.add(3, SnapshotParts.part(data, 30, 3));
    assembly.add(4, SnapshotParts.part(data, 30, 4));

    assertThatThrownBy(assembly::finish)
        .isInstanceOf(IncompleteSnapshotException.class)
        .hasMessageContaining("checksum");
  }

  private static SnapshotHeader header(byte[] data, int partSize) {
    return new SnapshotHeader(
        7, 1000, data.length, partSize, SnapshotParts.checksum(data), 33, "m", null);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
