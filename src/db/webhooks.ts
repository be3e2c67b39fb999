import { eq, lt } from "drizzle-orm";
import type { Database } from "./client";
import { webhookDeliveries } from "./schema";

export async function deliverySeen(db: Database, webhookId: string): Promise<boolean> {
  return (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).get()) !== undefined;
}

export async function rememberDelivery(db: Database, webhookId: string, now: number): Promise<void> {
  await db.insert(webhookDeliveries).values({ webhookId, receivedAt: now }).onConflictDoNothing().run();
}

export async function forgetDeliveriesBefore(db: Database, cutoff: number): Promise<void> {
  await db.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, cutoff)).run();
}
