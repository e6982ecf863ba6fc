import { presenceTyping, type Clock, type EventFactory, type RequestContext, type UnitOfWork } from '@pushline/domain';

export interface ReportTypingInput {
  readonly userId: string;
  /** What is being typed on, e.g. the notification a reply is drafted for. */
  readonly subject: string;
  readonly typing: boolean;
}

/**
 * Tells the user's other open devices that one of them started or stopped typing. `presence.typing`
 * is ephemeral: pushed after the (empty) unit of work commits, never stored, lost for devices that
 * are not connected, which is what a typing indicator wants.
 */
export class ReportTyping {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: EventFactory,
  ) {}

  async execute(input: ReportTypingInput, context: RequestContext = {}): Promise<void> {
    const data = { userId: input.userId, subject: input.subject, typing: input.typing, at: this.clock.now().toISOString() };
    const event = this.events.create(presenceTyping, input.subject, data, context);
    await this.unitOfWork.run((tx) => tx.events.publish([event]));
  }
}
