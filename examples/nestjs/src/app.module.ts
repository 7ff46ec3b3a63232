import { Module } from "@nestjs/common";
import { ChatGateway } from "./chat.gateway.js";
import { StatusGateway } from "./status.gateway.js";

@Module({ providers: [ChatGateway, StatusGateway] })
export class AppModule {}
