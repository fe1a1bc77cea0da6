import { AssignerProtocol, type PartitionAssigner } from "kafkajs";

/**
 * Range assignment per topic: partition p of every topic goes to the same member when the topics have the
 * same number of partitions. The runner relies on it: a key's messages in a main topic and in the service's
 * retry topic land on the same partition number, and so on the same instance, which keeps them in order.
 * (kafkajs ships only round-robin, which spreads partition p of two topics over different members.)
 */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: "FlytCoPartitionedAssigner",
  version: 0,
  async assign({ members, topics }) {
    const memberIds = members.map((member) => member.memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>(memberIds.map((id) => [id, {}]));
    for (const topic of topics) {
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map((metadata) => metadata.partitionId)
        .sort((a, b) => a - b);
      for (const partition of partitions) {
        const owner = memberIds[Math.floor((partition * memberIds.length) / partitions.length)] as string;
        const topicsOfOwner = assignment.get(owner) as Record<string, number[]>;
        topicsOfOwner[topic] = [...(topicsOfOwner[topic] ?? []), partition];
      }
    }
    return [...assignment].map(([memberId, memberTopics]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: memberTopics,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: "FlytCoPartitionedAssigner",
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});
